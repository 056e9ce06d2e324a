using System.Text.Json.Nodes;

namespace SxtSeg.Evaluation;

/// <summary>Everything <see cref="EvaluationRun.Run"/> measured.</summary>
public sealed record EvaluationResult(IReadOnlyList<MethodScores> Methods, ImageDecoderScore? ImageDecoder, JsonObject Json);
