/**
 * Functions and relations the guard refuses even inside an otherwise valid read.
 *
 * Why a deny-list on top of the read-only transaction: some functions act outside the transaction
 * (sleeping, locks, signals to other backends, files, network, sequences, settings), and some catalogs
 * expose credentials or other sessions' statements. Names are compared in lower case, after any schema
 * qualification is dropped, so `PG_CATALOG.Pg_Sleep` and `"pg_sleep"` are caught alike.
 *
 * `*` in an entry matches any run of characters (`pg_ls_*`, `*_to_xml*`).
 */
export const deniedFunctions: Readonly<Record<'postgres' | 'mysql', readonly string[]>> = Object.freeze({
  postgres: [
    // time and locks
    'pg_sleep',
    'pg_sleep_for',
    'pg_sleep_until',
    'pg_advisory*',
    'pg_try_advisory*',
    // files, programs and large objects
    'pg_read_file',
    'pg_read_binary_file',
    'pg_ls_*',
    'pg_stat_file',
    'pg_file_*',
    'lo_*',
    'loread',
    'lowrite',
    // other backends, the server and replication
    'pg_terminate_backend',
    'pg_cancel_backend',
    'pg_reload_conf',
    'pg_rotate_logfile',
    'pg_logfile_rotate',
    'pg_switch_wal',
    'pg_create_restore_point',
    'pg_backup_*',
    'pg_start_backup',
    'pg_stop_backup',
    'pg_promote',
    'pg_wal_replay_*',
    'pg_create_*_replication_slot',
    'pg_drop_replication_slot',
    'pg_copy_*_replication_slot',
    'pg_replication_origin_*',
    'pg_logical_*',
    'pg_notify',
    'pg_log_backend_memory_contexts',
    'pg_stat_reset*',
    'pg_stat_statements_reset',
    'pg_import_system_collations',
    'pg_export_snapshot',
    'pg_sync_replication_slots',
    // settings and sequences
    'set_config',
    'nextval',
    'setval',
    'currval',
    'lastval',
    // transaction ids (they assign one)
    'txid_current',
    'txid_current_if_assigned',
    'pg_current_xact_id',
    'pg_current_xact_id_if_assigned',
    // functions that run SQL given as text, or dump whole tables and schemas (credential catalogs included)
    '*_to_xml*',
    'ts_stat',
    'ts_rewrite',
    // other sessions, server configuration files, statistics
    'pg_stat_get_*activity*',
    'pg_stat_get_backend_*',
    'pg_show_all_file_settings',
    'pg_hba_file_rules',
    'pg_ident_file_mappings',
    'pg_replication_slot_advance',
    'pg_stat_statements*',
    'setseed',
    'pg_read_*',
    // other databases and servers
    'dblink*',
    'postgres_fdw_*',
  ],
  mysql: [
    'sleep',
    'benchmark',
    'load_file',
    'get_lock',
    'release_lock',
    'release_all_locks',
    'is_free_lock',
    'is_used_lock',
    'master_pos_wait',
    'source_pos_wait',
    'master_gtid_wait',
    'wait_for_executed_gtid_set',
    'wait_until_sql_thread_after_gtids',
    'sys_exec',
    'sys_eval',
    'sys_get',
    'sys_set',
    'last_insert_id',
    'nextval',
    'setval',
    'lastval',
  ],
});

/**
 * Relations whose rows are credentials or other sessions' statements. A bare name denies it in every
 * schema; `schema.*` denies a whole schema.
 */
export const deniedRelations: Readonly<Record<'postgres' | 'mysql', readonly string[]>> = Object.freeze({
  postgres: [
    'pg_authid',
    'pg_shadow',
    'pg_user_mapping',
    'pg_user_mappings',
    'pg_largeobject',
    'pg_largeobject_metadata',
    'pg_hba_file_rules',
    'pg_ident_file_mappings',
    'pg_file_settings',
    'pg_stat_activity',
    'pg_subscription',
    'pg_stat_statements',
    'pg_stat_statements_info',
  ],
  mysql: ['mysql.*', 'performance_schema.*', 'sys.*', 'processlist', 'user_privileges'],
});

const patterns = new Map<string, RegExp>();
function matches(entry: string, name: string): boolean {
  if (!entry.includes('*')) return name === entry;
  let pattern = patterns.get(entry);
  if (!pattern) {
    pattern = new RegExp(
      `^${entry
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    patterns.set(entry, pattern);
  }
  return pattern.test(name);
}

/** The deny-list entry a function name hits, or null. */
export function deniedFunctionEntry(dialect: 'postgres' | 'mysql', name: string): string | null {
  const lower = name.toLowerCase();
  return deniedFunctions[dialect].find((entry) => matches(entry, lower)) ?? null;
}

/** The deny-list entry a relation hits, or null; `schema` may be null for an unqualified name. */
export function deniedRelationEntry(dialect: 'postgres' | 'mysql', schema: string | null, relation: string): string | null {
  const lowerSchema = schema?.toLowerCase() ?? null;
  const lowerRelation = relation.toLowerCase();
  return (
    deniedRelations[dialect].find((entry) => (entry.endsWith('.*') ? lowerSchema === entry.slice(0, -2) : entry === lowerRelation)) ?? null
  );
}
