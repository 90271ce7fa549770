import { type BailleurFacts, type EpciFacts, fold } from '@erbm/shared';
import { given } from '@erbm/shared/testing';
import { correctCite } from '../correcting-cite/correct-cite';
import { registerCite } from '../registering-cite/register-cite';
import { citeAggregate, citeFacts, citeStream } from './cite.aggregate';
import { type CiteCorrected, type CiteRegistered } from './cite.events';

const cahc: EpciFacts = { epciCode: 'CAHC', name: "Communauté d'agglomération d'Hénin-Carvin" };
const mc: BailleurFacts = { bailleurCode: 'MAISONS_ET_CITES', name: 'Maisons & Cités' };
// REFERENCE.md §6: Cité Darcy (Hénin-Beaumont), Maisons & Cités, 383 logements.
const darcy = {
  citeId: 'cite-darcy',
  name: 'Cité Darcy',
  communes: ['Hénin-Beaumont'],
  epciCode: 'CAHC',
  bailleurCode: 'MAISONS_ET_CITES',
  logements: 383,
  unesco: false,
  priority: true,
};
const registered: CiteRegistered = { type: 'programme.CiteRegistered.v1', data: darcy };
const correction = { ...darcy, logements: 105, reason: 'first tranche only' };
const corrected: CiteCorrected = { type: 'programme.CiteCorrected.v1', data: correction };

const violatedFields = (run: () => unknown): string[] => {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toMatchObject({ code: 'COMMAND.INVALID', kind: 'validation' });
  return (error as { violations: { field: string }[] }).violations.map((v) => v.field).sort();
};

describe('programme: cités', () => {
  describe('RegisterCite', () => {
    it('registers a cité with its EPCI and bailleur', () => given(registerCite, [], { epci: cahc, bailleur: mc }).when(darcy).then([registered]));
    it('registers a cité without bailleur or logements count', () => {
      const autres = { ...darcy, citeId: 'autres-cites-cahc', name: 'Autres cités', bailleurCode: null, logements: null, priority: false };
      given(registerCite, [], { epci: cahc }).when(autres).then([{ type: 'programme.CiteRegistered.v1', data: autres }]);
    });
    it('registers once', () => given(registerCite, [registered], { epci: cahc, bailleur: mc }).when(darcy).thenThrows('CITE.ALREADY_REGISTERED'));
    it('refuses an unknown EPCI or bailleur', () => {
      given(registerCite, [], { epci: null, bailleur: mc }).when(darcy).thenThrows('EPCI.NOT_FOUND');
      given(registerCite, [], { epci: cahc, bailleur: null }).when(darcy).thenThrows('BAILLEUR.NOT_FOUND');
      given(registerCite, [], { epci: cahc }).when(darcy).thenThrows('BAILLEUR.NOT_FOUND');
    });
    it('looks up the EPCI, and the bailleur only when named', () => {
      expect(registerCite.lookups?.(registerCite.parse(darcy))).toEqual({ epci: { fact: 'epci', id: 'CAHC' }, bailleur: { fact: 'bailleur', id: 'MAISONS_ET_CITES' } });
      expect(registerCite.lookups?.(registerCite.parse({ ...darcy, bailleurCode: null }))).toEqual({ epci: { fact: 'epci', id: 'CAHC' } });
    });
    it('writes to cite-<citeId>', () => expect(registerCite.streamId(registerCite.parse(darcy))).toBe('cite-cite-darcy'));
    it('rejects bad fields, naming each field', () => {
      expect(
        violatedFields(() =>
          registerCite.parse({ citeId: 'Cité Darcy', name: 'Cité Darcy', communes: [], epciCode: 'cahc', bailleurCode: 'maisons', logements: 0, unesco: 'non', priority: 1, extra: 1 }),
        ),
      ).toEqual(['bailleurCode', 'citeId', 'communes', 'epciCode', 'extra', 'logements', 'priority', 'unesco']);
      expect(violatedFields(() => registerCite.parse({ ...darcy, communes: ['Hénin-Beaumont', ''], logements: 12.5 }))).toEqual(['communes', 'logements']);
      expect(violatedFields(() => registerCite.parse({ ...darcy, reason: 'not a field of RegisterCite' }))).toEqual(['reason']);
    });
  });

  describe('CorrectCite', () => {
    it('appends the full corrected description with its reason', () => given(correctCite, [registered], { epci: cahc, bailleur: mc }).when(correction).then([corrected]));
    it('corrects the EPCI and bailleur too, looking the new ones up', () => {
      const moved = { ...darcy, epciCode: 'CALL', bailleurCode: null, reason: 'wrong EPCI' };
      given(correctCite, [registered], { epci: { epciCode: 'CALL', name: 'CALL' } }).when(moved).then([{ type: 'programme.CiteCorrected.v1', data: moved }]);
      given(correctCite, [registered], { epci: null }).when(moved).thenThrows('EPCI.NOT_FOUND');
      given(correctCite, [registered], { epci: cahc, bailleur: null }).when({ ...correction, bailleurCode: 'SIA_HABITAT' }).thenThrows('BAILLEUR.NOT_FOUND');
    });
    it('requires a registered cité', () => given(correctCite, [], { epci: cahc, bailleur: mc }).when(correction).thenThrows('CITE.NOT_FOUND'));
    it('refuses a correction that changes nothing', () => {
      given(correctCite, [registered], { epci: cahc, bailleur: mc }).when({ ...darcy, reason: 'same' }).thenThrows('CITE.CORRECTION_UNCHANGED');
      given(correctCite, [registered, corrected], { epci: cahc, bailleur: mc }).when(correction).thenThrows('CITE.CORRECTION_UNCHANGED');
    });
    it('requires a reason, naming the field', () => expect(violatedFields(() => correctCite.parse({ ...darcy, logements: -1 }))).toEqual(['logements', 'reason']));
  });

  describe('CiteFacts', () => {
    it('reflects the latest correction', () => {
      expect(citeFacts(fold(citeAggregate, [registered]))).toEqual({ citeId: 'cite-darcy', name: 'Cité Darcy', epciCode: 'CAHC', bailleurCode: 'MAISONS_ET_CITES' });
      const state = fold(citeAggregate, [registered, corrected, { type: 'programme.CiteCorrected.v1', data: { ...correction, name: 'Cité Darcy (Hénin)', bailleurCode: null } }]);
      expect(citeFacts(state)).toEqual({ citeId: 'cite-darcy', name: 'Cité Darcy (Hénin)', epciCode: 'CAHC', bailleurCode: null });
      expect(state.corrections).toBe(2);
      expect(state.description?.logements).toBe(105);
    });
    it('is null for an unregistered cité', () => {
      expect(citeFacts(citeAggregate.initialState())).toBeNull();
      expect(citeStream('cite-darcy')).toBe('cite-cite-darcy');
    });
  });
});
