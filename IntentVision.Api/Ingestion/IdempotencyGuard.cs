using System.Text.Json;
using IntentVision.Data.Idempotency;
using IntentVision.Data.Writing;

namespace IntentVision.Api.Ingestion;

/// <summary>
/// Reserves an idempotency key in the unit of work that applies its request: the stored answer is looked up inside
/// the writer's transaction (no other write runs meanwhile, in this process or, on a server, in another) and, when
/// there is none, the request's answer is stored with its points. Concurrent requests with one key therefore apply
/// once: the others queue behind it and replay its answer (or get 422 when their body differs).
/// </summary>
public sealed class IdempotencyGuard(string organizationId, string key, string requestHash, DateTimeOffset at) : IIngestGuard
{
    public async Task<IngestRefusal?> CheckAsync(WriteScope scope, CancellationToken cancellationToken) =>
        await IdempotencyRepository.FindAsync(scope, organizationId, key, cancellationToken) is { } earlier ? new IngestRefusal(earlier) : null;

    public Task RecordAsync(WriteScope scope, IngestResponse response, CancellationToken cancellationToken) =>
        IdempotencyRepository.SaveAsync(
            scope,
            organizationId,
            key,
            new IdempotentResponse(requestHash, StatusCodes.Status200OK, JsonSerializer.Serialize(response, JsonSerializerOptions.Web), at),
            InputRules.IdempotencyLifetime,
            cancellationToken);
}
