import { type Check } from '@erbm/shared';

/**
 * Energy performance of logements: primary energy consumption in integer kWhEP/m².an and the DPE class with the
 * version of the scale it was assessed on. Only the 2021 scale (DPE since 1 July 2021) is accepted for now; the
 * pre-2021 scale differs, hence the version kept with every value (REFERENCE.md §9).
 */
export interface EnergyPerformance {
  primaryEnergyKwhPerM2Year: number;
  dpeClass: DpeClass;
  dpeScale: DpeScale;
}

export const DPE_CLASSES = ['A', 'B', 'C', 'D', 'E', 'F', 'G'] as const;
export type DpeClass = (typeof DPE_CLASSES)[number];
export const DPE_SCALES = ['2021'] as const;
export type DpeScale = (typeof DPE_SCALES)[number];

/** Upper bounds of primary energy (kWhEP/m².an) per class, DPE 2021 scale (arrêté du 31 mars 2021; REFERENCE.md §9). */
const UPPER_BOUNDS_2021: Record<Exclude<DpeClass, 'G'>, number> = { A: 70, B: 110, C: 180, D: 250, E: 330, F: 420 };

/** The class that primary energy alone gives on the 2021 scale (`G` above 420 kWhEP/m².an). */
export function energyClass2021(kwhPerM2Year: number): DpeClass {
  for (const c of DPE_CLASSES) if (c !== 'G' && kwhPerM2Year <= UPPER_BOUNDS_2021[c]) return c;
  return 'G';
}

/**
 * The DPE class is the worse of the energy and greenhouse-gas classes, so a declared class may be worse than the
 * energy-only class (because of emissions) but never better.
 */
export function dpeClassConsistent(e: EnergyPerformance): boolean {
  return DPE_CLASSES.indexOf(e.dpeClass) >= DPE_CLASSES.indexOf(energyClass2021(e.primaryEnergyKwhPerM2Year));
}

/** Parses an energy object inside a command (`field` is its name, for error paths). */
export function parseEnergy(parent: Check, field: string): EnergyPerformance {
  const c = parent.object(field).only('primaryEnergyKwhPerM2Year', 'dpeClass', 'dpeScale');
  return {
    primaryEnergyKwhPerM2Year: c.integer('primaryEnergyKwhPerM2Year', 0, 2000),
    dpeClass: c.oneOf('dpeClass', DPE_CLASSES),
    dpeScale: c.oneOf('dpeScale', DPE_SCALES),
  };
}
