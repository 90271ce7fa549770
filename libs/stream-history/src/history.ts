/**
 * Audit history of an aggregate (operation, grant, insertion declaration): each stored event becomes one entry
 * saying what happened (a French one-liner), on which business date, when the system learnt it, who acted through
 * which channel, and for corrections and amendments what changed (before → after) and why. Pure mapping, no I/O.
 */
import { euros, frenchInteger } from '@erbm/shared';

/** The parts of a stored event the history needs (a RecordedEvent fits). */
export interface HistoryEvent {
  streamPosition: number;
  type: string;
  data: Record<string, unknown>;
  recordedAt: string;
  metadata: {
    commandId: string;
    correlationId: string;
    actor: { organisation: string; user: string; channel: string; clientId?: string | null };
    source?: string | null;
    estimated?: boolean;
  };
}

/** One changed field: dotted path within the aggregate's figures (`logements`, `energyAfter.dpeClass`, `participants.rsa`). */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface HistoryEntry {
  /** 1-based position in the stream (the stream version after this event). */
  position: number;
  type: string;
  /** Knowledge time: when the system recorded the fact. */
  recordedAt: string;
  /** The fact's own date (deliveredOn, startedOn, paidOn…), or null when the event has none. */
  businessDate: string | null;
  actor: { organisation: string; user: string; channel: string; clientId: string | null };
  correlationId: string;
  commandId: string;
  summary: string;
  /** Before → after of each changed field, for corrections and amendments; empty otherwise. */
  changes: FieldChange[];
  reason: string | null;
  source: string | null;
  estimated: boolean;
}

type Data = Record<string, unknown>;

/** `2021-01-20` → `20/01/2021`. */
export const frenchDate = (iso: unknown): string => {
  const m = typeof iso === 'string' ? /^(\d{4})-(\d{2})-(\d{2})/.exec(iso) : null;
  return m ? `${m[3]}/${m[2]}/${m[1]}` : String(iso);
};

export { euros, frenchInteger };

const PHASE_LABELS: Record<string, string> = {
  programmation: 'programmation',
  etudes: 'études',
  avp: 'avant-projet',
  autorisation: 'autorisation de travaux',
  travaux: 'travaux',
  livraisons: 'livraisons',
  terminee: 'réception (terminée)',
};
const phase = (p: unknown): string => PHASE_LABELS[String(p)] ?? String(p);

/** Leaves of a value as dotted paths (`energyAfter.dpeClass`); arrays are compared whole. */
function leaves(value: unknown, prefix: string, out: Map<string, unknown>): Map<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, value);
  }
  return out;
}

/** The fields that differ between `before` and `after`, restricted to `fields` (and their nested leaves). */
export function diff(before: Data, after: Data, fields: string[]): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const f of fields) {
    const b = leaves(before[f], f, new Map());
    const a = leaves(after[f], f, new Map());
    for (const key of new Set([...b.keys(), ...a.keys()])) {
      if (JSON.stringify(b.get(key)) !== JSON.stringify(a.get(key))) changes.push({ field: key, before: b.get(key) ?? null, after: a.get(key) ?? null });
    }
  }
  return changes;
}

interface Described {
  businessDate: string | null;
  summary: string;
  changes?: FieldChange[];
}

const DELIVERY_FIELDS = ['deliveredOn', 'logements', 'energyBefore', 'energyAfter'];
const INSERTION_FIELDS = ['hours', 'participants', 'recruitments'];

/** Business date, summary and changes of one event type (without its `.vN` suffix). */
const DESCRIBE: Record<string, (d: Data) => Described> = {
  'operation.LogementsOperationProgrammed': (d) => ({
    businessDate: d.programmedOn as string,
    summary: `Opération programmée le ${frenchDate(d.programmedOn)} : ${d.title}, ${frenchInteger(d.plannedLogements)} logements (cité ${d.citeId}, bailleur ${d.bailleurCode})`,
  }),
  'operation.UrbanOperationProgrammed': (d) => ({
    businessDate: d.programmedOn as string,
    summary: `Opération d'espaces publics programmée le ${frenchDate(d.programmedOn)} : ${d.title} (cité ${d.citeId}, maîtrise d'ouvrage ${d.leadName})`,
  }),
  'operation.PhaseStarted': (d) => ({ businessDate: d.startedOn as string, summary: `Phase ${phase(d.phase)} démarrée le ${frenchDate(d.startedOn)}` }),
  'operation.PhasePlanRevised': (d) => ({
    businessDate: null,
    summary: `Date prévue de la phase ${phase(d.phase)} révisée : ${d.previousPlannedOn ? frenchDate(d.previousPlannedOn) : 'aucune'} → ${frenchDate(d.plannedOn)}`,
    changes: [{ field: `plannedDates.${String(d.phase)}`, before: d.previousPlannedOn ?? null, after: d.plannedOn }],
  }),
  'operation.OperationSuspended': (d) => ({ businessDate: d.suspendedOn as string, summary: `Opération suspendue le ${frenchDate(d.suspendedOn)}` }),
  'operation.OperationResumed': (d) => ({ businessDate: d.resumedOn as string, summary: `Opération reprise le ${frenchDate(d.resumedOn)}` }),
  'operation.OperationAbandoned': (d) => ({ businessDate: d.abandonedOn as string, summary: `Opération abandonnée le ${frenchDate(d.abandonedOn)}` }),
  'operation.LogementsDelivered': (d) => ({ businessDate: d.deliveredOn as string, summary: `${frenchInteger(d.logements)} logements livrés le ${frenchDate(d.deliveredOn)}` }),
  'operation.LogementsDeliveryCorrected': (d) => {
    const prev = (d.previous ?? {}) as Data;
    return {
      businessDate: d.deliveredOn as string,
      summary: `Livraison ${d.deliveryId} corrigée : ${frenchInteger(prev.logements)} → ${frenchInteger(d.logements)} logements livrés le ${frenchDate(d.deliveredOn)}`,
      changes: diff(prev, d, DELIVERY_FIELDS),
    };
  },
  'operation.PlannedLogementsAmended': (d) => ({
    businessDate: d.amendedOn as string,
    summary: `Logements prévus modifiés le ${frenchDate(d.amendedOn)} : ${frenchInteger(d.previousPlannedLogements)} → ${frenchInteger(d.plannedLogements)}`,
    changes: [{ field: 'plannedLogements', before: d.previousPlannedLogements, after: d.plannedLogements }],
  }),
  'funding.GrantDecided': (d) => ({
    businessDate: d.conventionDate as string,
    summary: `Subvention de ${euros(d.amountCents)} décidée par ${d.financerCode} (convention du ${frenchDate(d.conventionDate)}, opération ${d.operationId})`,
  }),
  'funding.GrantAmended': (d) => ({
    businessDate: d.amendedOn as string,
    summary: `Subvention modifiée le ${frenchDate(d.amendedOn)} : ${euros(d.previousAmountCents)} → ${euros(d.amountCents)}`,
    changes: [{ field: 'amountCents', before: d.previousAmountCents, after: d.amountCents }],
  }),
  'funding.GrantPaymentMade': (d) => ({ businessDate: d.paidOn as string, summary: `Paiement de ${euros(d.amountCents)} le ${frenchDate(d.paidOn)}` }),
  'funding.GrantCancelled': (d) => ({ businessDate: d.cancelledOn as string, summary: `Subvention annulée le ${frenchDate(d.cancelledOn)}` }),
  'insertion.InsertionHoursDeclared': (d) => ({
    businessDate: d.periodEnd as string,
    summary: `${frenchInteger(d.hours)} heures d'insertion déclarées du ${frenchDate(d.periodStart)} au ${frenchDate(d.periodEnd)} (marché ${d.marcheRef})`,
  }),
  'insertion.InsertionDeclarationCorrected': (d) => {
    const prev = (d.previous ?? {}) as Data;
    return {
      businessDate: null,
      summary: `Déclaration corrigée : ${frenchInteger(prev.hours)} → ${frenchInteger(d.hours)} heures d'insertion`,
      changes: diff(prev, d, INSERTION_FIELDS),
    };
  },
};

/** `operation.LogementsDelivered.v1` → `operation.LogementsDelivered`. */
const baseType = (type: string): string => type.replace(/\.v\d+$/, '');

/** One event as a history entry. Unknown types still appear, with a generic summary. */
export function historyEntry(e: HistoryEvent): HistoryEntry {
  const describe = DESCRIBE[baseType(e.type)];
  const d: Described = describe ? describe(e.data) : { businessDate: null, summary: `Événement ${e.type}` };
  const actor = e.metadata.actor;
  return {
    position: e.streamPosition,
    type: e.type,
    recordedAt: e.recordedAt,
    businessDate: d.businessDate ?? null,
    actor: { organisation: actor.organisation, user: actor.user, channel: actor.channel, clientId: actor.clientId ?? null },
    correlationId: e.metadata.correlationId,
    commandId: e.metadata.commandId,
    summary: d.summary,
    changes: d.changes ?? [],
    reason: typeof e.data.reason === 'string' ? e.data.reason : null,
    source: e.metadata.source ?? null,
    estimated: e.metadata.estimated === true,
  };
}

/** The history of a stream, in stream order. */
export function history(events: HistoryEvent[]): HistoryEntry[] {
  return [...events].sort((a, b) => a.streamPosition - b.streamPosition).map(historyEntry);
}
