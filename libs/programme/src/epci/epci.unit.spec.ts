import { fold } from '@erbm/shared';
import { given } from '@erbm/shared/testing';
import { registerEpci } from '../registering-epci/register-epci';
import { epciAggregate, epciFacts, epciStream } from './epci.aggregate';
import { type EpciRegistered } from './epci.events';

const call = { epciCode: 'CALL', name: "Communauté d'agglomération de Lens-Liévin", communes: 36 };
const registered: EpciRegistered = { type: 'programme.EpciRegistered.v1', data: call };

describe('programme: EPCI', () => {
  it('registers an EPCI, with or without a commune count', () => {
    given(registerEpci, []).when(call).then([registered]);
    const cad = { epciCode: 'CAD', name: "Communauté d'agglomération du Douaisis (Douaisis Agglo)", communes: null };
    given(registerEpci, []).when(cad).then([{ type: 'programme.EpciRegistered.v1', data: cad }]);
  });
  it('registers once', () => given(registerEpci, [registered]).when(call).thenThrows('EPCI.ALREADY_REGISTERED'));
  it('writes to epci-<CODE>', () => expect(registerEpci.streamId(registerEpci.parse(call))).toBe('epci-CALL'));
  it('rejects bad codes and counts, naming each field', () => {
    let error: unknown;
    try {
      registerEpci.parse({ epciCode: 'call', name: '', communes: 0, extra: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'COMMAND.INVALID', kind: 'validation' });
    expect((error as { violations: { field: string }[] }).violations.map((v) => v.field).sort()).toEqual(['communes', 'epciCode', 'extra', 'name']);
  });
  it('publishes EpciFacts once registered', () => {
    expect(epciFacts(fold(epciAggregate, [registered]))).toEqual({ epciCode: 'CALL', name: "Communauté d'agglomération de Lens-Liévin" });
    expect(epciFacts(epciAggregate.initialState())).toBeNull();
    expect(epciStream('CALL')).toBe('epci-CALL');
  });
});
