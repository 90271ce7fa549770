import { assertWithinProgrammeWindow, programmeWindow } from './programme-window';

describe('programmeWindow', () => {
  it('runs from the signature minus 2 years to the target date plus 5 years (ERBM: 2015-03-07 to 2032-12-31)', () =>
    expect(programmeWindow({ programmeId: 'erbm', signedOn: '2017-03-07', endYear: 2027, targetDate: '2027-12-31' })).toEqual({ from: '2015-03-07', to: '2032-12-31' }));

  it('ends 5 years after 31 December of the last year while no target is set', () =>
    expect(programmeWindow({ programmeId: 'erbm', signedOn: '2017-03-07', endYear: 2027, targetDate: null })).toEqual({ from: '2015-03-07', to: '2032-12-31' }));

  it('moves 29 February to 28 February in a common year, and stays within the calendar bounds 1900–2100', () => {
    expect(programmeWindow({ programmeId: 'p', signedOn: '2016-02-29', endYear: 2020, targetDate: '2020-02-29' })).toEqual({ from: '2014-02-28', to: '2025-02-28' });
    expect(programmeWindow({ programmeId: 'p', signedOn: '1901-01-01', endYear: 2100, targetDate: '2100-06-30' })).toEqual({ from: '1900-01-01', to: '2100-12-31' });
  });

  it('is null before the programme is launched', () => expect(programmeWindow(null)).toBeNull());
});

describe('assertWithinProgrammeWindow', () => {
  const window = { from: '2015-03-07', to: '2032-12-31' };

  it('accepts both ends and skips absent dates', () => expect(() => assertWithinProgrammeWindow(window, { a: '2015-03-07', b: '2032-12-31', c: null, d: undefined })).not.toThrow());

  it('refuses the first date outside with 422 PROGRAMME.DATE_OUTSIDE_WINDOW naming the field and the window', () =>
    expect(() => assertWithinProgrammeWindow(window, { periodStart: '2020-01-01', periodEnd: '2099-01-01' })).toThrow(
      expect.objectContaining({ code: 'PROGRAMME.DATE_OUTSIDE_WINDOW', kind: 'rule', message: expect.stringMatching(/^periodEnd 2099-01-01 .* 2015-03-07 to 2032-12-31/), violations: [expect.objectContaining({ field: 'periodEnd' })] }),
    ));

  it('refuses nothing without a window', () => expect(() => assertWithinProgrammeWindow(null, { a: '1901-01-01' })).not.toThrow());
});
