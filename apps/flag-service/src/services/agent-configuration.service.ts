import { Injectable } from '@nestjs/common';
import { contextFromAgentHeaders } from '../evaluation/request-context';
import { agentEntry } from '../evaluation/agent-document';
import type { HttpAnswer } from '../evaluation/ofrep-answer';
import { EvaluationPort } from '@flagfleet/serving';

/** The agent answers errors with a status and a plain-text body. */
function agentError(status: number, message: string, headers?: Record<string, string>): HttpAnswer {
  return {
    status,
    body: `${message}\n`,
    headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' },
  };
}

/** The agent's documented limit on `Entity-Id` (2 KB). */
export const MAX_ENTITY_ID_BYTES = 2048;

/**
 * `GET /applications/{app}/environments/{env}/configurations/{profile}` as the AWS AppConfig Agent
 * answers it: raw bytes for freeform profiles, the evaluated flag map for flag documents.
 */
@Injectable()
export class AgentConfigurationService {
  constructor(private readonly port: EvaluationPort) {}

  configuration(
    source: string,
    flagFilter: string | string[] | undefined,
    contextHeader: string | string[] | undefined,
    entityId?: string | string[],
  ): HttpAnswer {
    // Entity-Id picks a version during the agent's entity-based gradual deployments; the fleet serves the one
    // version it polled to everyone, so the header is only checked against the agent's bound.
    const entity = Array.isArray(entityId) ? entityId.join(',') : entityId;
    if (entity !== undefined && Buffer.byteLength(entity) > MAX_ENTITY_ID_BYTES)
      return agentError(400, `Entity-Id is longer than ${MAX_ENTITY_ID_BYTES} bytes`);
    const served = this.port.resolve(source);
    if (served.refusal === 'unknown-source')
      return agentError(404, `configuration ${source} is not served by this agent`);
    if (served.refusal === 'not-loaded')
      return agentError(503, `configuration ${source} is not loaded yet`, { 'retry-after': '1' });
    const { snapshot } = served;
    const version = { 'configuration-version': snapshot.versionLabel ?? String(snapshot.revision) };
    const filter = flagFilter === undefined ? [] : Array.isArray(flagFilter) ? flagFilter : [flagFilter];
    if (served.refusal === 'not-flags') {
      if (filter.length > 0) return agentError(400, 'the flag parameter needs a feature flag configuration');
      return {
        status: 200,
        body: snapshot.content,
        headers: { ...version, 'content-type': snapshot.contentType },
      };
    }
    const { flags } = served;
    const parsed = contextFromAgentHeaders(contextHeader);
    if (!parsed.ok) return agentError(400, parsed.details);
    const unknown = filter.filter((key) => !flags.definitions.has(key));
    if (unknown.length > 0) return agentError(404, unknownFlagsMessage(unknown));

    // No filter is every flag: a bulk evaluation (timed as one), whatever the number of flags.
    const keys = filter.length > 0 ? filter : undefined;
    const results = this.port.evaluateServed({ protocol: 'agent', context: parsed.context, keys }, flags);
    const map: Record<string, unknown> = Object.create(null);
    for (const result of results) {
      const entry = agentEntry(flags, result);
      if (entry !== undefined) map[result.key] = entry;
    }
    // The agent answers one requested flag with that flag's own object, several with a map.
    const body = filter.length === 1 ? (map[filter[0]] ?? null) : map;
    // Serialised here: Fastify would send a bare string value (a string flag) unquoted.
    return {
      status: 200,
      body: JSON.stringify(body),
      headers: { ...version, 'content-type': 'application/json' },
    };
  }
}

/** Bounded whatever was asked for: the first three unknown keys (64 characters each) and how many more. */
function unknownFlagsMessage(unknown: readonly string[]): string {
  const named = unknown
    .slice(0, 3)
    .map((key) => JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key));
  const more = unknown.length > 3 ? ` and ${unknown.length - 3} more` : '';
  return `flag ${named.join(', ')}${more} not found`;
}
