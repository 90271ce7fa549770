import { ValidationPipe } from '@nestjs/common';
import { SCHEMA_VALIDATION, violationsOf } from '@erbm/platform';
import { RequestInvalid } from './problem-details.filter';

/**
 * class-validator on every DTO: unknown fields rejected (`forbidNonWhitelisted`), no implicit type conversion of
 * bodies, and every violation reported by field in the problem+json body.
 */
export const validationPipe = new ValidationPipe({
  ...SCHEMA_VALIDATION,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  exceptionFactory: (errors) => new RequestInvalid(violationsOf(errors)),
});
