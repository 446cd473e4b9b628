/**
 * Several teal instances as one, on a ZooKeeper ensemble through Apache Curator: the shared state,
 * the instances and what each has applied. Start at {@link dev.teal.admin.cluster.ZooKeeperCluster}.
 */
package dev.teal.admin.cluster;
