/**
 * The shape of rules/compliance/catalog.json (documented in rules/compliance/SCHEMA.md), checked
 * with zod when it is loaded; cross-references are checked afterwards by ./validate.ts.
 */
import { z } from 'zod';

const levelList = z.array(z.number().int().min(1).max(5)).min(1);
const bilingual = z.object({ vi: z.string().min(1), en: z.string().min(1) }).strict();
/** A parameter: one value, or one per level (`{L3: 90}`; null: the catalogue knows no value). */
const paramValue = z.unknown();

export const requirementSchema = z
  .object({
    id: z.string().min(1),
    framework: z.string().min(1),
    group: z.string().min(1),
    title_vi: z.string().min(1),
    title_en: z.string().min(1),
    levels: levelList,
    standard: z.string().nullable(),
    clauses: z.record(z.string().regex(/^[1-5]$/), z.string()),
    clause_text: z.string().nullable(),
    source: z.string().nullable(),
    evidence: z.array(z.string()),
    params: z.record(z.string(), paramValue),
    maps_to: z.object({ csf: z.array(z.string()), iso: z.array(z.string()) }).strict(),
    notes: z.string().nullable(),
    confidence: z.string(),
    uncertain: z.boolean(),
  })
  .strict();

const regimeSchema = z
  .object({
    id: z.enum(['decree85', 'decree331']),
    name_vi: z.string(),
    name_en: z.string(),
    sources: z.array(z.object({ framework: z.string(), name: z.string(), status: z.string().nullable(), status_uncertain: z.boolean() }).strict()).min(1),
    levels: z
      .array(
        z
          .object({ level: z.number().int().min(1).max(5), criteria_vi: z.string(), criteria_en: z.string(), appraised_by: z.string(), approved_by: z.string(), source: z.string() })
          .strict(),
      )
      .length(5),
    requirements: z.array(requirementSchema).min(1),
  })
  .strict();

export const catalogSchema = z
  .object({
    schema: z.literal(1),
    source: z.object({ schema_version: z.string(), generated: z.string(), disclaimer: z.string(), regime_note: z.string() }).strict(),
    groups: z.record(z.string(), bilingual),
    evidence_kinds: z.array(z.object({ id: z.string().regex(/^[a-z][a-z0-9_]*$/), description: z.string() }).strict()).min(1),
    regimes: z.object({ decree85: regimeSchema, decree331: regimeSchema }).strict(),
    nist_csf: z
      .object({
        name: z.string(),
        functions: z.array(z.object({ id: z.string(), title_en: z.string(), title_vi: z.string() }).strict()),
        categories: z.array(
          z.object({ id: z.string(), function: z.string(), title_en: z.string(), title_vi: z.string(), iso27001: z.array(z.string()) }).strict(),
        ),
        subcategories: z.array(
          z
            .object({ id: z.string(), category: z.string(), title_en: z.string(), title_vi: z.string(), evidence: z.array(z.string()), iso27001: z.array(z.string()) })
            .strict(),
        ),
      })
      .strict(),
    iso27001: z
      .object({
        name: z.string(),
        controls: z.array(
          z.object({ id: z.string(), theme: z.string(), title_en: z.string(), title_vi: z.string(), evidence: z.array(z.string()), nist_csf: z.array(z.string()) }).strict(),
        ),
      })
      .strict(),
    crosswalk_notes: z.record(z.string(), z.string()),
  })
  .strict();

export type CatalogData = z.infer<typeof catalogSchema>;
export type Requirement = z.infer<typeof requirementSchema>;
export type RegimeData = CatalogData['regimes']['decree85'];
