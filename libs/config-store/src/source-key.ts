import { SourceKey } from './config-store';
import { SourceKeyInvalidError } from './errors';

export interface SourceParts {
  readonly application: string;
  readonly environment: string;
  readonly profile: string;
}

/** AppConfig identifiers never contain `/`, so it separates the three parts unambiguously. */
export function sourceKey(application: string, environment: string, profile: string): SourceKey {
  const parts = [application, environment, profile];
  const key = parts.join('/');
  if (parts.some((part) => part.length === 0 || part.includes('/'))) throw new SourceKeyInvalidError(key);
  return key;
}

export function parseSourceKey(key: SourceKey): SourceParts {
  const parts = key.split('/');
  if (parts.length !== 3 || parts.some((part) => part.length === 0)) throw new SourceKeyInvalidError(key);
  const [application, environment, profile] = parts;
  return { application, environment, profile };
}
