namespace Actors.XmppBridge.Client.AdHoc;

/// <summary>The XEP-0004 field types the ad-hoc commands use (XEP-0004 §3.3).</summary>
internal enum FormFieldType
{
    /// <summary><c>text-single</c>: one line of text.</summary>
    TextSingle,

    /// <summary><c>list-single</c>: one of the field's options.</summary>
    ListSingle,
}
