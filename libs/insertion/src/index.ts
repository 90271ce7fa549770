import { type AnyUseCase } from '@erbm/shared';
import { correctInsertionDeclaration } from './correcting-insertion-declaration/correct-insertion-declaration';
import { declareInsertionHours } from './declaring-insertion-hours/declare-insertion-hours';

export * from './insertion/insertion.events';
export * from './insertion/insertion.aggregate';
export * from './insertion/insertion.rules';
export * from './insertion/insertion.parse';
export * from './declaring-insertion-hours/declare-insertion-hours';
export * from './correcting-insertion-declaration/correct-insertion-declaration';

/** Every command of the insertion context (heures d'insertion, clauses sociales; REFERENCE.md §8). */
export const insertionUseCases: AnyUseCase[] = [declareInsertionHours, correctInsertionDeclaration];
