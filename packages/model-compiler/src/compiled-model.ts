import type { ColumnContract, ResourceType } from './define-model.ts';
import type { DataTest, Severity } from './data-test.ts';
import type { Materialization } from './materialization.ts';

/** A model's contract as plain data: references to other models by name. */
export interface CompiledContract {
  readonly columns: Readonly<Record<string, ColumnContract>>;
  readonly primaryKey: readonly string[];
  readonly foreignKeys: readonly {
    readonly columns: readonly string[];
    readonly references: string;
    readonly referencedColumns: readonly string[];
  }[];
  readonly indexes: readonly (readonly string[])[];
}

/** A data test compiled to a query returning the failing rows of the relation under test. */
export interface CompiledTest {
  /** Unique within the model, e.g. `unique(user_id)`, `relationships(user_key → dim_user.user_key)`. */
  readonly name: string;
  readonly kind: DataTest<object>['kind'];
  /** Columns the test checks (none for `custom`). */
  readonly columns: readonly string[];
  readonly severity: Severity;
  readonly errorAbove: number;
  readonly warnAbove: number;
  readonly sampleSize: number;
  /** Selects the failing rows; zero rows means the test passes. */
  readonly sql: string;
}

/** One model compiled to plain, frozen data: what a materializer runs and the manifest records. */
export interface CompiledModel {
  readonly kind: 'compiled_model';
  readonly resourceType: ResourceType;
  readonly name: string;
  /** Hash of everything that decides the model's output (SQL, materialization, contract, tests, hooks): `state:modified` compares it. */
  readonly fingerprint: string;
  readonly description: string;
  readonly materialization: Materialization;
  /** The model's select, values inlined as literals (DDL takes no bind parameters). */
  readonly sql: string;
  /** Always empty: values are inlined into `sql`, so it runs inside `create table ... as` and `create view`. */
  readonly parameters: readonly unknown[];
  /** Models this one reads (through `ctx.ref`, relationships tests and foreign keys), sorted by name. */
  readonly dependsOn: readonly string[];
  /** `raw` tables this one reads, sorted. */
  readonly sources: readonly string[];
  readonly tags: readonly string[];
  readonly contract: CompiledContract;
  readonly tests: readonly CompiledTest[];
  readonly postHooks: readonly string[];
}

/** Every model of a project in topological order (upstream first), compiled against `targetSchema`. */
export interface CompiledProject {
  readonly kind: 'compiled_project';
  readonly targetSchema: string;
  readonly models: readonly CompiledModel[];
}
