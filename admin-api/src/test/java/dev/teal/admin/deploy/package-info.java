/**
 * Checks of what an operator installs: the systemd unit ({@code systemd-analyze verify}), the Kubernetes
 * manifests and the Helm chart ({@code yamllint}), the Grafana dashboard against the metrics teal exports.
 * Start with {@link dev.teal.admin.deploy.DeployFilesIT}.
 */
package dev.teal.admin.deploy;
