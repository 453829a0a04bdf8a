namespace IntentVision.Dashboard.Services;

/// <summary>A label matcher: name, op (= != =~ !~) and value.</summary>
public sealed record LabelMatcherDto(string Name, string Op, string Value);

/// <summary>A silence and its state now: pending, active or expired.</summary>
public sealed record SilenceDto(long Id, List<LabelMatcherDto> Matchers, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Comment, string CreatedBy, string State, DateTimeOffset CreatedAt);

public sealed record SilenceRequest(List<LabelMatcherDto> Matchers, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string Comment, string? CreatedBy);
