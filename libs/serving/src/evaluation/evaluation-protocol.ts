/** Who asked: the `protocol` label of `flagfleet_evaluations_total`. A new protocol adds its name here. */
export const EVALUATION_PROTOCOLS = ['ofrep', 'agent', 'flagd-v1', 'flagd-v2'] as const;
export type EvaluationProtocol = (typeof EVALUATION_PROTOCOLS)[number];
