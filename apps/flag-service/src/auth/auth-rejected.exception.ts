import { HttpException } from '@nestjs/common';

/** 401 (no key) or 403 (wrong key); answered without a body, as OFREP specifies. */
export class AuthRejectedException extends HttpException {
  constructor(readonly authStatus: 401 | 403) {
    super(authStatus === 401 ? 'Unauthorized' : 'Forbidden', authStatus);
  }
}
