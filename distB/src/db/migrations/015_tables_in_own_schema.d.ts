/**
 * Issue 22: the service's tables and functions move from `public` into their own schema
 * (`DATABASE_SCHEMA`, default `job_runner`), so the service can share an application's database
 * without its tables beside the application's. `alter … set schema` keeps every row, index,
 * identity sequence and trigger: existing jobs stay as they were. src/db/migrate.ts runs this SQL
 * before anything else when it finds the migrations table in public (so that the migrations table
 * moves with the rest, and the migrations after 011 find their tables); the schema is then the
 * transaction's search_path, which `current_schema()` names. A database made after this migration
 * never had anything in public: there is nothing to move.
 *
 * Instances of an older version still running against `public` stop finding their tables: deploy
 * with a release step (`job-runner migrate`) and replace them, as any release with a migration.
 */
export declare const version = 15;
export declare const name = "tables_in_own_schema";
export declare const sql = "\ndo $$\ndeclare\n  moved record;\nbegin\n  if current_schema() = 'public' then\n    return;\n  end if;\n  for moved in\n    select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace\n    where n.nspname = 'public' and c.relkind in ('r', 'p') and left(c.relname, 11) = 'job_runner_'\n  loop\n    execute format('alter table public.%I set schema %I', moved.relname, current_schema());\n  end loop;\n  for moved in\n    select p.proname, pg_get_function_identity_arguments(p.oid) as arguments\n    from pg_proc p join pg_namespace n on n.oid = p.pronamespace\n    where n.nspname = 'public' and left(p.proname, 11) = 'job_runner_'\n  loop\n    execute format('alter function public.%I(%s) set schema %I', moved.proname, moved.arguments, current_schema());\n  end loop;\nend\n$$;\n";
