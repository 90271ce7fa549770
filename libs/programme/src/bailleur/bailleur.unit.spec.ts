import { fold } from '@erbm/shared';
import { given } from '@erbm/shared/testing';
import { registerBailleur } from '../registering-bailleur/register-bailleur';
import { bailleurAggregate, bailleurFacts, bailleurStream } from './bailleur.aggregate';
import { type BailleurRegistered } from './bailleur.events';

const mc = { bailleurCode: 'MAISONS_ET_CITES', name: 'Maisons & Cités' };
const registered: BailleurRegistered = { type: 'programme.BailleurRegistered.v1', data: mc };

describe('programme: bailleurs', () => {
  it('registers a bailleur', () => given(registerBailleur, []).when(mc).then([registered]));
  it('registers once', () => given(registerBailleur, [registered]).when(mc).thenThrows('BAILLEUR.ALREADY_REGISTERED'));
  it('rejects bad codes and unknown fields, naming each field', () => {
    let error: unknown;
    try {
      registerBailleur.parse({ bailleurCode: 'Maisons & Cités', extra: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'COMMAND.INVALID', kind: 'validation' });
    expect((error as { violations: { field: string }[] }).violations.map((v) => v.field).sort()).toEqual(['bailleurCode', 'extra', 'name']);
  });
  it('publishes BailleurFacts once registered', () => {
    expect(bailleurFacts(fold(bailleurAggregate, [registered]))).toEqual(mc);
    expect(bailleurFacts(bailleurAggregate.initialState())).toBeNull();
    expect(bailleurStream('MAISONS_ET_CITES')).toBe('bailleur-MAISONS_ET_CITES');
  });
});
