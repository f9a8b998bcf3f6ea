namespace Actors.XmppBridge.Client.Xml;

/// <summary>
/// The stream error conditions of RFC 6120 §4.9.3 that this client raises itself or needs to name.
/// The wire names are produced by <see cref="StreamErrorConditionNames.ToWireName"/>.
/// </summary>
internal enum StreamErrorCondition
{
    BadFormat,
    BadNamespacePrefix,
    Conflict,
    ConnectionTimeout,
    HostUnknown,
    InternalServerError,
    InvalidNamespace,
    InvalidXml,
    NotAuthorized,
    NotWellFormed,
    PolicyViolation,
    ResourceConstraint,
    RestrictedXml,
    SystemShutdown,
    UndefinedCondition,
    UnsupportedEncoding,
    UnsupportedStanzaType,
    UnsupportedVersion,
}
