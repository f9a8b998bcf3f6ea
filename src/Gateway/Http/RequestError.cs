using Actors.Gateway.Problems;

namespace Actors.Gateway.Http;

/// <summary>Why a request was refused before reaching a grain: the problem type and a detail that says what to fix.</summary>
internal sealed record RequestError(ProblemType Type, string Detail);
