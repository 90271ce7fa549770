import { applyDecorators } from '@nestjs/common';
import { isIsoDate } from '@erbm/shared';
import { Matches, ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * Property validators of the command DTOs, mirroring the domain's `Check` (libs/shared/src/validation.ts) so a bad
 * request is answered with field violations before it reaches the command bus. The domain parses again behind them.
 */

/** Ids: kebab-case, 1–80 characters (`op-darcy-t1`). */
export const KEBAB_ID = /^[a-z0-9][a-z0-9-]{0,79}$/;
/** Reference codes: upper snake case, 2–40 characters (`SIA_HABITAT`). */
export const REF_CODE = /^[A-Z][A-Z0-9_]{1,39}$/;
/** Axis codes of operations and grants: a top axis 1–4, optionally a sub-axis letter a–g (`1a`). */
export const OPERATION_AXIS_CODE = /^[1-4][a-g]?$/;

/** Lone UTF-16 surrogates cannot be stored in PostgreSQL jsonb; NUL neither. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A kebab-case id (see KEBAB_ID). */
export const IsKebabId = (options?: ValidationOptions): PropertyDecorator =>
  Matches(KEBAB_ID, { message: '$property must be kebab-case [a-z0-9-], 1 to 80 characters', ...options });

/** An upper snake case reference code (see REF_CODE). */
export const IsRefCode = (options?: ValidationOptions): PropertyDecorator =>
  Matches(REF_CODE, { message: '$property must be an upper snake case code [A-Z][A-Z0-9_], 2 to 40 characters', ...options });

/** A real calendar date `YYYY-MM-DD` between 1900-01-01 and 2100-12-31 (2022-02-30 is refused). */
export const IsIsoDate = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isIsoDate',
      validator: {
        validate: (v: unknown) => isIsoDate(v),
        defaultMessage: () => '$property must be a real calendar date YYYY-MM-DD between 1900 and 2100',
      },
    },
    options,
  );

/** A non-blank string of at most `max` characters, storable as text (no NUL, no lone surrogate). */
export const IsText = (max: number, options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isText',
      constraints: [max],
      validator: {
        validate: (v: unknown) => typeof v === 'string' && v.trim() !== '' && v.length <= max && !UNSTORABLE.test(v),
        defaultMessage: () => `$property must be a non-blank string of at most ${max} characters, without NUL or lone surrogates`,
      },
    },
    options,
  );

/**
 * An integer (a JSON number with no fraction, at most Number.MAX_SAFE_INTEGER in magnitude) between `min` and `max`.
 * One violation per problem: `isInt` for a non-integer (string, float, unsafe integer), else `min` or `max`.
 */
export const IsIntegerIn = (min: number, max: number = Number.MAX_SAFE_INTEGER, options?: ValidationOptions): PropertyDecorator =>
  applyDecorators(
    ValidateBy(
      {
        name: 'isInt',
        validator: {
          validate: (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v),
          defaultMessage: () => `$property must be an integer between ${min} and ${max}`,
        },
      },
      options,
    ),
    ValidateBy(
      {
        name: 'min',
        constraints: [min],
        validator: {
          validate: (v: unknown) => typeof v !== 'number' || !Number.isSafeInteger(v) || v >= min,
          defaultMessage: () => `$property must be at least ${min}`,
        },
      },
      options,
    ),
    ValidateBy(
      {
        name: 'max',
        constraints: [max],
        validator: {
          validate: (v: unknown) => typeof v !== 'number' || !Number.isSafeInteger(v) || v <= max,
          defaultMessage: () => `$property must be at most ${max}`,
        },
      },
      options,
    ),
  ) as PropertyDecorator;
