import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { type FieldViolation } from '@erbm/shared';
import { RequestInvalid } from './problem-details.filter';

/** Field paths as the domain names them: `energyAfter.dpeClass`, `lots[0].logements`. */
function flatten(errors: ValidationError[], parent = ''): FieldViolation[] {
  return errors.flatMap((e) => {
    // A numeric property under a parent is an array index (no DTO has numeric property names).
    const field = parent && /^\d+$/.test(e.property) ? `${parent}[${e.property}]` : parent ? `${parent}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([rule, message]) => ({ field, rule, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * class-validator on every DTO: unknown fields rejected (`forbidNonWhitelisted`), no implicit type conversion of
 * bodies, and every violation reported by field in the problem+json body.
 */
export const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  exceptionFactory: (errors) => new RequestInvalid(flatten(errors)),
});
