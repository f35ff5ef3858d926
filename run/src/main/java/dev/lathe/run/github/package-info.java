/**
 * {@code lathe github run} (DESIGN §18 "GitHub", §23): the agent in a GitHub Actions job. {@link
 * dev.lathe.run.github.ActionsContext} reads the {@code GITHUB_*} variables, {@link dev.lathe.run.github.GitHubEvent}
 * the event's payload, {@link dev.lathe.run.github.GitHubRest} is the one client of GitHub's REST API, {@link
 * dev.lathe.run.github.Checkout} the git commands on the job's checkout, and {@link dev.lathe.run.github.GitHubRun}
 * decides (trigger, actor's permission, the event's own repository) and acts: a progress comment, a session run through
 * {@link dev.lathe.protocol.api.LatheApi} like {@code lathe run}, then a branch and pull request, a commit on a PR's own
 * branch, a patch for a fork, or one review. {@link dev.lathe.run.github.WorkflowFile} is what {@code lathe github
 * install} writes. Imports protocol, {@code term} and {@code run.console}; the command line in {@code app} hands the environment here.
 */
package dev.lathe.run.github;
