/**
 * Upcasting hook: turns a stored event of an older shape into the current one at read time, so stored events are
 * never rewritten. Register one function per stored type string; it may return a new type (`….v2`).
 * Example: `registry.register('operation.LogementsDelivered.v1', (e) => ({ type: 'operation.LogementsDelivered.v2', data: {...e.data, x: null} }))`.
 */
export interface StoredShape {
  type: string;
  data: Record<string, unknown>;
}

export type Upcaster = (event: StoredShape) => StoredShape;

export class UpcasterRegistry {
  private readonly upcasters = new Map<string, Upcaster>();

  register(fromType: string, upcaster: Upcaster): this {
    if (this.upcasters.has(fromType)) throw new Error(`An upcaster for ${fromType} is already registered`);
    this.upcasters.set(fromType, upcaster);
    return this;
  }

  /** Applies upcasters repeatedly until the event has a current type (at most 20 steps, to catch cycles). */
  upcast(event: StoredShape): StoredShape {
    let current = event;
    for (let i = 0; i < 20; i++) {
      const up = this.upcasters.get(current.type);
      if (!up) return current;
      current = up(current);
    }
    throw new Error(`Upcaster cycle for ${event.type}`);
  }
}
