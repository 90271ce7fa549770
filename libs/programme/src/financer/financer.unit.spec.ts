import { type EpciFacts, fold } from '@erbm/shared';
import { given } from '@erbm/shared/testing';
import { registerFinancer } from '../registering-financer/register-financer';
import { financerAggregate, financerFacts, financerStream } from './financer.aggregate';
import { type FinancerRegistered } from './financer.events';

const call: EpciFacts = { epciCode: 'CALL', name: "Communauté d'agglomération de Lens-Liévin" };
const region = { financerCode: 'REGION_HDF', name: 'Région Hauts-de-France', category: 'region', epciCode: null };
const regionRegistered: FinancerRegistered = { type: 'programme.FinancerRegistered.v1', data: { ...region, category: 'region' } };
const callFinancer = { financerCode: 'CALL', name: "Communauté d'agglomération de Lens-Liévin", category: 'epci', epciCode: 'CALL' };

describe('programme: financers', () => {
  it('registers a financer', () => given(registerFinancer, []).when(region).then([regionRegistered]));
  it('registers an EPCI financer with its registered EPCI', () =>
    given(registerFinancer, [], { epci: call }).when(callFinancer).then([{ type: 'programme.FinancerRegistered.v1', data: { ...callFinancer, category: 'epci' } }]));
  it('registers once', () => given(registerFinancer, [regionRegistered]).when(region).thenThrows('FINANCER.ALREADY_REGISTERED'));
  it('requires epciCode iff the category is epci', () => {
    given(registerFinancer, []).when({ ...callFinancer, epciCode: null }).thenThrows('FINANCER.EPCI_CODE_REQUIRED');
    given(registerFinancer, [], { epci: call }).when({ ...region, epciCode: 'CALL' }).thenThrows('FINANCER.EPCI_CODE_NOT_ALLOWED');
  });
  it('refuses an unknown EPCI', () => {
    given(registerFinancer, [], { epci: null }).when(callFinancer).thenThrows('EPCI.NOT_FOUND');
    given(registerFinancer, [], {}).when(callFinancer).thenThrows('EPCI.NOT_FOUND');
  });
  it('looks the EPCI up only when named', () => {
    expect(registerFinancer.lookups?.(registerFinancer.parse(callFinancer))).toEqual({ epci: { fact: 'epci', id: 'CALL' } });
    expect(registerFinancer.lookups?.(registerFinancer.parse(region))).toEqual({});
  });
  it('rejects unknown categories and bad codes, naming each field', () => {
    let error: unknown;
    try {
      registerFinancer.parse({ financerCode: 'Région', name: 'Région', category: 'collectivite', epciCode: 'call' });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'COMMAND.INVALID', kind: 'validation' });
    expect((error as { violations: { field: string }[] }).violations.map((v) => v.field).sort()).toEqual(['category', 'epciCode', 'financerCode']);
  });
  it('publishes FinancerFacts once registered', () => {
    expect(financerFacts(fold(financerAggregate, [regionRegistered]))).toEqual({ financerCode: 'REGION_HDF', name: 'Région Hauts-de-France', category: 'region', epciCode: null });
    expect(financerFacts(financerAggregate.initialState())).toBeNull();
    expect(financerStream('ETAT')).toBe('financer-ETAT');
  });
});
