/** Problems AppConfigData reports for a ConfigurationToken (BadRequestDetails.InvalidParameters.*.Problem). */
export type TokenProblem = 'Corrupted' | 'Expired' | 'PollIntervalNotSatisfied';

type AwsErrorBody = Record<string, unknown> & { Message: string };

/**
 * An error answered in AppConfigData's restJson1 shape: the SDK takes the error name from the
 * `x-amzn-errortype` header and the members (Message, Reason, Details, ResourceType, ReferencedBy) from the body.
 */
export class AwsServiceError extends Error {
  private constructor(
    readonly errorType:
      'BadRequestException' | 'ResourceNotFoundException' | 'ThrottlingException' | 'InternalServerException',
    readonly status: number,
    readonly body: AwsErrorBody,
  ) {
    super(body.Message);
    this.name = errorType;
  }

  static invalidToken(problem: TokenProblem, message: string): AwsServiceError {
    return AwsServiceError.invalidParameter('ConfigurationToken', message, problem);
  }

  /** A parameter failed validation; only token failures carry a Problem (AWS's enum has no other values). */
  static invalidParameter(parameter: string, message: string, problem?: TokenProblem): AwsServiceError {
    return new AwsServiceError('BadRequestException', 400, {
      Message: message,
      Reason: 'InvalidParameters',
      Details: { InvalidParameters: { [parameter]: problem ? { Problem: problem } : {} } },
    });
  }

  static badRequest(message: string): AwsServiceError {
    return new AwsServiceError('BadRequestException', 400, { Message: message });
  }

  static notFound(resourceType: string, referencedBy: Record<string, string>): AwsServiceError {
    return new AwsServiceError('ResourceNotFoundException', 404, {
      Message: `${resourceType} not found`,
      ResourceType: resourceType,
      ReferencedBy: referencedBy,
    });
  }

  static throttling(): AwsServiceError {
    return new AwsServiceError('ThrottlingException', 429, { Message: 'Rate exceeded' });
  }

  static internal(): AwsServiceError {
    return new AwsServiceError('InternalServerException', 500, { Message: 'Internal server error' });
  }
}
