/**
 * The two connection pools and the read/write split. Writes (and reads that must see them) go to
 * the {@code primary} pool; read-only queries that tolerate replication lag take the
 * {@link dev.socnet.db.Replica} pool. Which host answers is PgJDBC's job, not ours: both URLs list
 * every node, the primary URL with {@code targetServerType=primary}, the replica URL with
 * {@code targetServerType=preferSecondary&loadBalanceHosts=true}, so the driver finds the current
 * primary after a failover and spreads reads over the replicas.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {})
package dev.socnet.db;
