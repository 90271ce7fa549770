import { BILAN_FIXTURE } from '@erbm/reporting/testing';
import { bilanTables } from './tables';

/** The bilan's tables of personnes distinctes and contrats (ADR 0024), in French, with overlapping publics stated. */
describe('insertion persons and contracts tables', () => {
  const tables = bilanTables(BILAN_FIXTURE);
  const table = (name: string) => {
    const t = tables.find((x) => x.name === name);
    if (!t) throw new Error(`no table ${name}`);
    return t;
  };

  it('states personnes distinctes, recruited, without id and contracts, with their estimated parts', () => {
    const t = table('Insertion personnes');
    expect(t.sheet).toBe('Insertion');
    expect(t.head).toEqual(['Indicateur', 'Valeur (nombre)', 'Part estimée (%)']);
    expect(t.rows).toEqual([
      ['Personnes distinctes', 5, { percent: 40 }],
      ['dont personnes recrutées', 2, { percent: 50 }],
      ['dont personnes déclarées sans identifiant (comptes par public, une fois par déclaration)', 2, null],
      ['Personnes distinctes (réhabilitation des logements)', 4, { percent: 50 }],
      ["Contrats d'insertion", 4, { percent: 0 }],
    ]);
    expect(t.notes?.[0]).toContain('identifiant pseudonyme');
  });

  it('names publics in French and says that they overlap', () => {
    const t = table('Personnes par public');
    expect(t.rows.map((row) => row[0])).toEqual(["Demandeurs d'emploi de longue durée", 'Bénéficiaires du RSA', 'Jeunes de moins de 26 ans']);
    expect(t.rows.map((row) => row[3])).toEqual([2, 2, 0]);
    expect(t.notes).toEqual([expect.stringContaining('Les publics se recoupent')]);
    expect(t.notes?.[0]).toContain('total de 5 personnes distinctes');
  });

  it('names EPCI and contract kinds in French', () => {
    expect(table('Personnes par EPCI').rows[0][0]).not.toBe('');
    expect(table('Contrats par type').rows).toEqual([
      ["CDD d'insertion (CDDI)", 3, { percent: 0 }, 2],
      ["Mission d'intérim", 1, { percent: 0 }, 1],
    ]);
  });
});
