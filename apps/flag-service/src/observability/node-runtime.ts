import type { Logger } from '@flagfleet/core';

/** Node 24 LTS is the reference runtime; 20 (end of life April 2026) and 22 still run everything. */
export const RECOMMENDED_NODE_MAJOR = 24;
/** AWS SDK releases after early January 2027 need this (aws/aws-sdk-js-v3#7983). */
const SDK_NODE_MAJOR = 22;

/**
 * Says once, in one log line, what the AWS SDK would otherwise print as an eight-line process warning on
 * Node < 22, and turns the SDK's warning off through its documented opt-out
 * (`AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true`, aws/aws-sdk-js-v3#7983). Must run before the first
 * SDK client is built.
 */
export function noteNodeRuntime(logger: Logger, version = process.version): void {
  const major = Number(/^v(\d+)\./.exec(version)?.[1]);
  if (!(major < SDK_NODE_MAJOR)) return;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  logger.warn(
    `Node ${version} is past end of life: it runs flagfleet, but AWS SDK releases after January 2027 need Node >= ${SDK_NODE_MAJOR}; Node ${RECOMMENDED_NODE_MAJOR} LTS is recommended`,
  );
}
