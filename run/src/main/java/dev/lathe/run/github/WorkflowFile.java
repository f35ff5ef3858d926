package dev.lathe.run.github;

import java.util.List;

/**
 * {@code .github/workflows/lathe.yml} as {@code lathe github install} writes it: the events {@code lathe github run}
 * answers, the least {@code permissions:} each job needs, a checkout whose credentials are not left behind (the session
 * can read that folder; Lathe pushes with the token itself), and Lathe's own Action ({@code action.yml}) installing the
 * release and running the job's phase: no clone of Lathe, no JDK, no build (DESIGN §25). Every other action is pinned
 * to a full commit.
 *
 * @param trigger the word a comment must hold; the job's {@code if:} skips other comments before a runner starts
 * @param keyVariable the provider key's variable, set from the secret of the same name
 * @param latheVersion the Lathe release the jobs use, e.g. {@code 1.2.3}: the Action's tag and its {@code version}
 */
public record WorkflowFile(String trigger, String keyVariable, String latheVersion) {
    public static final String PATH = ".github/workflows/lathe.yml";
    /** Where Lathe's releases and its Action live (decision 458). */
    public static final String ACTION = "lathe-agent/lathe";
    /** What a release's version looks like; a development build's ({@code -SNAPSHOT}, {@code dev}) has no release. */
    public static final String RELEASE_VERSION = "[0-9]+\\.[0-9]+\\.[0-9]+(-(?!SNAPSHOT$)[0-9A-Za-z.-]+)?";

    // pinned to the commit of the release named in the comment: a moved tag cannot change what runs
    static final String CHECKOUT = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1";
    static final String UPLOAD_ARTIFACT = "actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f # v7.0.0";
    static final String DOWNLOAD_ARTIFACT = "actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c # v8.0.1";

    public WorkflowFile {
        if (!trigger.matches("[^\\s'\"\\\\${}]+")) throw new IllegalArgumentException("a trigger is one word without quotes, $, {, } or backslashes");
        if (!keyVariable.matches("[A-Z][A-Z0-9_]*")) throw new IllegalArgumentException("a key variable is a name like ANTHROPIC_API_KEY");
        latheVersion = latheVersion.startsWith("v") ? latheVersion.substring(1) : latheVersion;
        if (!latheVersion.matches(RELEASE_VERSION)) {
            throw new IllegalArgumentException("the workflow needs a released Lathe version like 1.2.3, not "
                    + latheVersion.replaceAll("[^\\p{Alnum}._-]", "?"));
        }
    }

    /** The secrets and settings the repository needs, one line each, as the install prints them. */
    public List<String> settings() {
        return List.of(
                "secret   " + keyVariable + ": your provider's API key (Settings → Secrets and variables → Actions → New repository secret)",
                "setting  Settings → Actions → General → Workflow permissions: allow GitHub Actions to create and approve pull requests");
    }

    public String text() {
        String lathe = ACTION + "@v" + latheVersion;
        return """
                # Lathe in GitHub Actions: comment "%1$s ..." on an issue or pull request (docs/github.md).
                # Written by `lathe github install`.
                #
                # Three jobs, so that no process the model's commands can reach holds a token that can write:
                #   gate    (write token, runs no project code): checks the trigger and the actor, posts the progress comment
                #   agent   (read-only token, none in its environment; the key only in Lathe's memory): runs the model
                #   publish (write token, a fresh runner): pushes, opens the pull request, posts the review, edits the comment
                # Each job installs the Lathe %2$s release with Lathe's Action (checksum-checked, the archive cached).
                name: lathe

                on:
                  issue_comment:
                    types: [created]
                  pull_request_review_comment:
                    types: [created]
                  issues:
                    types: [opened, assigned]
                  pull_request:
                    types: [opened, reopened, synchronize, ready_for_review]
                  workflow_dispatch:
                    inputs:
                      prompt:
                        description: What Lathe should do
                        required: true
                        type: string

                # nothing by default; each job asks for what it needs
                permissions: {}

                concurrency:
                  group: lathe-${{ github.event.issue.number || github.event.pull_request.number || github.run_id }}

                jobs:
                  gate:
                    # skip comments without the trigger before a runner starts; the gate checks again, with the
                    # commenter's permission
                    if: >-
                      github.event_name == 'workflow_dispatch' ||
                      github.event_name == 'pull_request' ||
                      contains(github.event.comment.body, '%1$s') ||
                      (github.event_name == 'issues' && contains(github.event.issue.body, '%1$s'))
                    runs-on: ubuntu-latest
                    timeout-minutes: 15
                    permissions:
                      contents: read
                      issues: write
                      pull-requests: write
                    outputs:
                      act: ${{ steps.gate.outputs.act }}
                      ref: ${{ steps.gate.outputs.ref }}
                      handoff: ${{ steps.gate.outputs.handoff }}
                    steps:
                      - uses: %4$s
                        with:
                          persist-credentials: false
                      - name: Gate
                        id: gate
                        uses: %5$s
                        with:
                          version: '%2$s'
                          phase: gate
                        env:
                          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}

                  agent:
                    needs: gate
                    if: needs.gate.outputs.act == 'true'
                    runs-on: ubuntu-latest
                    timeout-minutes: 30
                    # read-only: the model's commands run in this job
                    permissions:
                      contents: read
                    steps:
                      - uses: %4$s
                        with:
                          ref: ${{ needs.gate.outputs.ref }}
                          fetch-depth: 0
                          persist-credentials: false
                      - name: Key to a file (no step after this one holds it in its environment)
                        env:
                          KEY: ${{ secrets.%3$s }}
                        run: |
                          umask 077
                          printf '%%s' "$KEY" > "$RUNNER_TEMP/lathe-key"
                      - name: Lathe (no token here; the key is read from the file, which is deleted before the session)
                        uses: %5$s
                        with:
                          version: '%2$s'
                          phase: agent
                          key-file: ${{ runner.temp }}/lathe-key
                          key-variable: %3$s
                        env:
                          LATHE_HANDOFF: ${{ needs.gate.outputs.handoff }}
                          # 'true' lets the project's own lathe.json hooks, MCP servers and allow rules apply
                          LATHE_TRUSTED_CHECKOUT: 'false'
                      - name: Upload the session (lathe import FILE) and the result
                        if: always()
                        uses: %6$s
                        with:
                          name: lathe-session
                          path: ${{ runner.temp }}/lathe/
                          if-no-files-found: ignore

                  publish:
                    needs: [gate, agent]
                    if: always() && needs.gate.outputs.act == 'true' && github.event_name != 'workflow_dispatch'
                    runs-on: ubuntu-latest
                    timeout-minutes: 15
                    # the least the publish needs: push a branch, comment, open a pull request, post a review
                    permissions:
                      contents: write
                      issues: write
                      pull-requests: write
                    steps:
                      - uses: %4$s
                        with:
                          ref: ${{ needs.gate.outputs.ref }}
                          fetch-depth: 0
                          persist-credentials: false
                      - uses: %7$s
                        continue-on-error: true
                        with:
                          name: lathe-session
                          path: ${{ runner.temp }}/lathe/
                      - name: Publish
                        uses: %5$s
                        with:
                          version: '%2$s'
                          phase: publish
                        env:
                          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}
                          LATHE_HANDOFF: ${{ needs.gate.outputs.handoff }}
                """.formatted(trigger, latheVersion, keyVariable, CHECKOUT, lathe, UPLOAD_ARTIFACT, DOWNLOAD_ARTIFACT);
    }
}
