import { HttpException } from '@nestjs/common';
import { type AuthFailureCode } from '@erbm/platform';

/** 401 with its code; the problem filter adds `WWW-Authenticate`. */
export class Unauthenticated extends HttpException {
  constructor(readonly code: AuthFailureCode, detail: string) {
    super(detail, 401);
  }
}

/** 403 AUTH.FORBIDDEN: the caller's role may not use this route. */
export class Forbidden extends HttpException {
  readonly code = 'AUTH.FORBIDDEN';
  constructor(detail: string) {
    super(detail, 403);
  }
}

/** The challenge sent with every 401. */
export const wwwAuthenticate = (code: string, detail: string): string => {
  const error = code === 'AUTH.UNAUTHENTICATED' ? '' : `, error="invalid_token", error_description="${detail.replace(/["\\]/g, '')}"`;
  return `Bearer realm="erbm"${error}`;
};
