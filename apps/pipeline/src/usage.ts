/** The CLI's help text (README documents the same). */
export const usage = `Usage: pnpm pipeline [command] [options]

Commands:
  run (default)      run the DAG video_streaming_elt_pipeline
      --scale tiny|small|medium|large (default small)  --seed N  --users N --sessions N --titles N
      --defects RATE  --resume  --run-id ID  --from TASK  --only TASK  --full-refresh
      --target-dir DIR (default target)  --log-file FILE
  generate           write a data set: --scale --seed --users --sessions --titles --defects --out DIR
  task <id>          one attempt of one task: --run-id ID plus the data-set options of run
  status             recent runs and task states: --limit N (default 5) --run-id ID
  graph              the DAG as Mermaid: --out FILE
  airflow-dag        an Airflow DAG file running each task via "task <id>": --out FILE --project-dir DIR
  models build       the transforms only: --select SEL... --dry-run --validate --full-refresh
                     --force-full-refresh (also rebuilds dim_user, whose SCD2 history is otherwise kept)
                     --rebuild-up-to-date (also builds models whose sources and code did not change)
  models docs        model docs and lineage: --out DIR (default target/docs)

Exit codes: 0 success, 1 run/task failed, 2 bad arguments or config, 69 database unavailable,
75 another run holds the warehouse (try later), 130 interrupted (SIGINT/SIGTERM).
`;
