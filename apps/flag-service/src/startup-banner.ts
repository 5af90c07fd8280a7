import type { SourceParts } from '@flagfleet/config-store';
import type { ServiceConfig } from './config';

/** What the example requests name: a source being served and one of its flags. */
export interface BannerExample {
  readonly source: SourceParts;
  readonly flag: string | undefined;
}

/** The human lines printed once listening: where to look and a request to try. */
export function startupBanner(config: ServiceConfig, port: number, example?: BannerExample): string {
  const exampleFlag = example?.flag ?? 'my-flag';
  const { application, environment, profile } = example?.source ?? {
    application: 'local',
    environment: 'local',
    profile: 'flags',
  };
  const base = `${config.http.tls === null ? 'http' : 'https'}://localhost:${port}`;
  const auth = config.auth.apiKeys.length > 0 ? ` -H 'Authorization: Bearer <API key>'` : '';
  const sources = config.sources;
  const source =
    sources.mode === 'appconfig'
      ? `polling AppConfig: ${sources.list.map((s) => `${s.application}/${s.environment}/${s.profile}`).join(', ')}`
      : `embedded default: serving ${sources.flagsDir}/*.json as local/local/<profile> (edit a file to deploy it)`;
  return [
    '',
    `flagfleet listening on ${base} (${source})`,
    `  OFREP        curl -s -X POST ${base}/ofrep/v1/evaluate/flags/${exampleFlag} -H 'Content-Type: application/json'${auth} -d '{"context":{"targetingKey":"user-1","email":"ada@flagfleet.dev"}}'`,
    `  OFREP bulk   curl -s -X POST ${base}/ofrep/v1/evaluate/flags -H 'Content-Type: application/json'${auth} -d '{"context":{"targetingKey":"user-1"}}'`,
    `  Agent API    curl -s ${base}/applications/${application}/environments/${environment}/configurations/${profile} -H 'Context: targetingKey=user-1'${auth}`,
    `  flagd        ${flagdLine(config)}`,
    `  API docs     ${base}/docs   health ${base}/health/ready   status ${base}/status   metrics ${base}/metrics`,
    '',
  ].join('\n');
}

/** Where a flagd provider points: RPC mode at the evaluation port, in-process mode at the sync port. */
function flagdLine(config: ServiceConfig): string {
  const { evaluationPort, syncPort } = config.flagd;
  const rpc = evaluationPort === null ? 'evaluation off' : `RPC mode localhost:${evaluationPort}`;
  const sync = syncPort === null ? 'sync off' : `in-process mode localhost:${syncPort}`;
  return `${rpc}   ${sync}   (docs/flagd.md)`;
}
