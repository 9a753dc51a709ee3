export async function listeningBackends(admin) {
    const rows = await admin `
    select pid from pg_stat_activity
    where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()`;
    return rows.map((r) => r.pid);
}
//# sourceMappingURL=listening.js.map