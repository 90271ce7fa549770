import { fold } from '@erbm/shared';
import { programmeFactSources, programmeUseCases } from './index';

describe('programme context', () => {
  it('declares the commands of the import format, plus CorrectCite', () =>
    expect(programmeUseCases.map((u) => u.type)).toEqual([
      'programme.LaunchProgramme',
      'programme.SetTarget',
      'programme.PublishAxisSet',
      'programme.RegisterEpci',
      'programme.RegisterFinancer',
      'programme.RegisterBailleur',
      'programme.RegisterCite',
      'programme.CorrectCite',
    ]));
  it('leaves every command to the délégation (owner null)', () => {
    for (const useCase of programmeUseCases) expect(useCase.owner?.({}, useCase.aggregate.initialState(), {})).toBeNull();
  });
  it('resolves the facts it publishes from their streams', () => {
    const { epci } = programmeFactSources;
    expect(epci.streamId('CAHC')).toBe('epci-CAHC');
    const state = fold(epci.aggregate, [{ type: 'programme.EpciRegistered.v1', data: { epciCode: 'CAHC', name: "Hénin-Carvin", communes: 14 } }]);
    expect(epci.facts(state)).toEqual({ epciCode: 'CAHC', name: 'Hénin-Carvin' });
  });
});
