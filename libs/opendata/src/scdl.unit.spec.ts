import { SCDL_FIELDS, type ScdlGrantFacts, type ScdlRow, scdlCsv, scdlJsonRow, scdlMontant, scdlObjet, scdlVersement, toScdlRow, toScdlRows, validateScdl, validateScdlRow } from './scdl';

const grant: ScdlGrantFacts = {
  grantId: 'g-1',
  financerCode: 'ETAT',
  financerName: 'État',
  conventionDate: '2018-05-01',
  decisionRef: 'ARR-2018-12',
  beneficiaryName: 'SIA Habitat',
  operationId: 'op-parc',
  operationTitle: 'Parc T1',
  dispositif: 'aides-a-la-pierre',
  decidedCents: 4_780_020,
  paymentDates: ['2020-01-15', '2019-01-15'],
};
const SIRETS = { ETAT: '11000000000000' };
const valid = (): ScdlRow => toScdlRow(grant, { attribuantSirets: SIRETS });
const rules = (row: Partial<Record<string, string>>) => validateScdlRow(row).map((v) => `${v.field}:${v.rule}`);

describe('SCDL Subventions 2.1.1 mapping', () => {
  it('maps a grant field by field, in the schema order', () => {
    const row = valid();
    expect(Object.keys(row)).toEqual([...SCDL_FIELDS]);
    expect(row).toEqual({
      nomAttribuant: 'État',
      idAttribuant: '11000000000000',
      dateConvention: '2018-05-01',
      referenceDecision: 'ARR-2018-12',
      nomBeneficiaire: 'SIA Habitat',
      idBeneficiaire: '',
      rnaBeneficiaire: '',
      objet: 'Engagement pour le Renouveau du Bassin Minier (ERBM), aides à la pierre : opération « Parc T1 » (op-parc)',
      montant: '47800.20',
      nature: 'aide en numéraire',
      conditionsVersement: 'échelonné',
      datesPeriodeVersement: '2019-01-15/2020-01-15',
      idRAE: '',
      notificationUE: 'non',
      pourcentageSubvention: '1.00',
      dispositifAide: 'aides-a-la-pierre',
    });
    expect(validateScdlRow(row)).toEqual([]);
  });

  it('derives the conditions of payment from the payments', () => {
    expect(scdlVersement({ paymentDates: ['2019-03-01'], conventionDate: '2018-01-01' })).toEqual({ conditionsVersement: 'unique', datesPeriodeVersement: '2019-03-01' });
    expect(scdlVersement({ paymentDates: ['2019-03-01', '2019-03-01'], conventionDate: '2018-01-01' })).toEqual({ conditionsVersement: 'échelonné', datesPeriodeVersement: '2019-03-01' });
    const none = scdlVersement({ paymentDates: [], conventionDate: '2018-01-01' });
    expect(none.datesPeriodeVersement).toBe('2018-01-01');
    expect(validateScdlRow({ ...valid(), ...none })).toEqual([]);
  });

  it('writes amounts in euros with a decimal point and cuts the objet to 256 characters', () => {
    expect(scdlMontant(9_580_000_000)).toBe('95800000.00');
    expect(scdlMontant(5)).toBe('0.05');
    const long = scdlObjet({ dispositif: 'npnru', operationTitle: 'É'.repeat(400), operationId: 'op-x' });
    expect([...long].length).toBe(256);
    expect(long.endsWith('…')).toBe(true);
    expect(rules({ ...valid(), objet: long })).toEqual([]);
  });

  it('leaves out grants with nothing decided (cancelled before any payment)', () => {
    expect(toScdlRows([grant, { ...grant, grantId: 'g-2', decidedCents: 0 }]).length).toBe(1);
  });

  it('types the JSON rows as the schema says', () => {
    expect(scdlJsonRow(valid())).toMatchObject({ montant: 47800.2, notificationUE: false, pourcentageSubvention: 1, idBeneficiaire: null });
  });

  it('writes RFC 4180 CSV, comma or semicolon separated, quoting when needed', () => {
    const csv = scdlCsv([{ ...valid(), nomBeneficiaire: 'Maisons & Cités, "Soginorpa"' }]);
    const [header, line] = csv.split('\r\n');
    expect(header).toBe(SCDL_FIELDS.join(','));
    expect(line).toContain('"Maisons & Cités, ""Soginorpa"""');
    expect(scdlCsv([valid()], ';').split('\r\n')[0]).toBe(SCDL_FIELDS.join(';'));
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});

describe('SCDL Subventions 2.1.1 validator', () => {
  it('rejects missing required values, but accepts missing optional ones', () => {
    expect(rules({ ...valid(), idAttribuant: '', nomBeneficiaire: '', montant: '', notificationUE: '', pourcentageSubvention: '', datesPeriodeVersement: '' })).toEqual([
      'idAttribuant:required', 'nomBeneficiaire:required', 'montant:required', 'datesPeriodeVersement:required', 'notificationUE:required', 'pourcentageSubvention:required',
    ]);
    expect(rules({ ...valid(), referenceDecision: '', idBeneficiaire: '', rnaBeneficiaire: '', idRAE: '', dispositifAide: '' })).toEqual([]);
  });

  it('rejects values that break a pattern', () => {
    expect(rules({ ...valid(), idAttribuant: '1100000000000' })).toEqual(['idAttribuant:pattern']);
    expect(rules({ ...valid(), idBeneficiaire: '38047555800058X' })).toEqual(['idBeneficiaire:pattern']);
    expect(rules({ ...valid(), rnaBeneficiaire: 'W38047555' })).toEqual(['rnaBeneficiaire:pattern']);
    expect(rules({ ...valid(), rnaBeneficiaire: 'W380475558' })).toEqual([]);
    expect(rules({ ...valid(), datesPeriodeVersement: '2019-01-15 / 2020-01-15' })).toEqual(['datesPeriodeVersement:pattern']);
    expect(rules({ ...valid(), datesPeriodeVersement: '2020-01-15/2019-01-15' })).toEqual(['datesPeriodeVersement:pattern']);
    expect(rules({ ...valid(), datesPeriodeVersement: '2019-02-30' })).toEqual(['datesPeriodeVersement:type']);
  });

  it('rejects wrong types, enums, lengths and ranges', () => {
    expect(rules({ ...valid(), dateConvention: '01/05/2018' })).toEqual(['dateConvention:type']);
    expect(rules({ ...valid(), montant: '47800,20' })).toEqual(['montant:type']);
    expect(rules({ ...valid(), nature: 'aide en numéraire, aide en nature' })).toEqual(['nature:enum']);
    expect(rules({ ...valid(), nature: 'aide en nature;aide en numéraire' })).toEqual([]);
    expect(rules({ ...valid(), notificationUE: 'false' })).toEqual(['notificationUE:enum']);
    expect(rules({ ...valid(), objet: 'x'.repeat(257) })).toEqual(['objet:maxLength']);
    expect(rules({ ...valid(), conditionsVersement: 'x'.repeat(257) })).toEqual(['conditionsVersement:maxLength']);
    expect(rules({ ...valid(), idRAE: '123456' })).toEqual(['idRAE:maxLength']);
    expect(rules({ ...valid(), pourcentageSubvention: '0.001' })).toEqual(['pourcentageSubvention:minimum']);
    expect(rules({ ...valid(), pourcentageSubvention: '1.5' })).toEqual(['pourcentageSubvention:maximum']);
    expect(rules({ ...valid(), pourcentageSubvention: '45%' })).toEqual(['pourcentageSubvention:type']);
  });

  it('rejects unknown columns and a header out of order', () => {
    expect(rules({ ...valid(), exercice: '2018' })).toEqual(['exercice:header']);
    const swapped = [...SCDL_FIELDS];
    [swapped[0], swapped[1]] = [swapped[1], swapped[0]];
    expect(validateScdl(swapped, [valid()]).map((v) => v.rule)).toEqual(['header']);
    expect(validateScdl([...SCDL_FIELDS], [valid(), { ...valid(), montant: 'x' }]).map((v) => [v.row, v.field])).toEqual([[1, 'montant']]);
  });
});
