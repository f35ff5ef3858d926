package dev.lathe.tui.github;

import java.util.List;
import java.util.Optional;

/**
 * {@code .github/workflows/lathe.yml} as {@code lathe github install} writes it: the events {@code lathe github run}
 * answers, the least {@code permissions:} it needs, a checkout whose credentials are not left in {@code .git/config}
 * (the session can read that folder; Lathe pushes with the token itself), JDK 25, Lathe built from a pinned ref of its
 * repository, the run, and the exported session uploaded as the {@code lathe-session} artifact.
 *
 * @param trigger the word a comment must hold; the job's {@code if:} skips other comments before a runner starts
 * @param keyVariable the provider key's variable, set from the secret of the same name
 * @param latheRepository Lathe's git URL, or empty: the repository variable {@code LATHE_REPOSITORY}
 * @param latheRef the tag or commit of Lathe to build, or empty: the repository variable {@code LATHE_REF}
 */
public record WorkflowFile(String trigger, String keyVariable, Optional<String> latheRepository, Optional<String> latheRef) {
    public static final String PATH = ".github/workflows/lathe.yml";

    public WorkflowFile {
        if (!trigger.matches("[^\\s'\"\\\\${}]+")) throw new IllegalArgumentException("a trigger is one word without quotes, $, {, } or backslashes");
        if (!keyVariable.matches("[A-Z][A-Z0-9_]*")) throw new IllegalArgumentException("a key variable is a name like ANTHROPIC_API_KEY");
        for (String value : List.of(latheRepository.orElse(""), latheRef.orElse(""))) {
            if (!value.matches("[A-Za-z0-9_.:/@+~-]*")) throw new IllegalArgumentException("not a git URL or ref: " + value);
        }
    }

    /** The secrets and variables the repository needs, one line each, as the install prints them. */
    public List<String> settings() {
        var lines = new java.util.ArrayList<String>();
        lines.add("secret   " + keyVariable + ": your provider's API key (Settings → Secrets and variables → Actions → New repository secret)");
        if (latheRepository.isEmpty()) lines.add("variable LATHE_REPOSITORY: the git URL of Lathe's repository to build from");
        if (latheRef.isEmpty()) lines.add("variable LATHE_REF: the tag or commit of Lathe to pin (a release tag, never a moving branch)");
        lines.add("setting  Settings → Actions → General → Workflow permissions: allow GitHub Actions to create and approve pull requests");
        return lines;
    }

    public String text() {
        String repository = latheRepository.orElse("${{ vars.LATHE_REPOSITORY }}");
        String ref = latheRef.orElse("${{ vars.LATHE_REF }}");
        String build = """
                      - uses: actions/setup-java@v4
                        with:
                          distribution: temurin
                          java-version: '25'
                      - name: Build Lathe
                        env:
                          LATHE_REPOSITORY: %1$s
                          LATHE_REF: %2$s
                        run: |
                          git clone --quiet "$LATHE_REPOSITORY" "$RUNNER_TEMP/lathe-src"
                          git -C "$RUNNER_TEMP/lathe-src" checkout --quiet "$LATHE_REF"
                          "$RUNNER_TEMP/lathe-src/bin/lathe" --version
                """.formatted(repository, ref);
        return """
                # Lathe in GitHub Actions: comment "%1$s ..." on an issue or pull request (docs/github.md).
                # Written by `lathe github install`.
                #
                # Three jobs, so that no process the model's commands can reach holds a token that can write:
                #   gate    (write token, runs no project code): checks the trigger and the actor, posts the progress comment
                #   agent   (read-only token, none in its environment; the key only in Lathe's memory): runs the model
                #   publish (write token, a fresh runner): pushes, opens the pull request, posts the review, edits the comment
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
                      - uses: actions/checkout@v4
                        with:
                          persist-credentials: false
                %4$s
                      - name: Gate
                        id: gate
                        env:
                          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}
                        run: '"$RUNNER_TEMP/lathe-src/bin/lathe" github run --phase gate'

                  agent:
                    needs: gate
                    if: needs.gate.outputs.act == 'true'
                    runs-on: ubuntu-latest
                    timeout-minutes: 30
                    # read-only: the model's commands run in this job
                    permissions:
                      contents: read
                    steps:
                      - uses: actions/checkout@v4
                        with:
                          ref: ${{ needs.gate.outputs.ref }}
                          fetch-depth: 0
                          persist-credentials: false
                %4$s
                      - name: Key to a file (no step after this one holds it in its environment)
                        env:
                          KEY: ${{ secrets.%3$s }}
                        run: |
                          umask 077
                          printf '%%s' "$KEY" > "$RUNNER_TEMP/lathe-key"
                      - name: Lathe (no token here; the key is read from the file, which is deleted before the session)
                        env:
                          LATHE_HANDOFF: ${{ needs.gate.outputs.handoff }}
                          # 'true' lets the project's own lathe.json hooks, MCP servers and allow rules apply
                          LATHE_TRUSTED_CHECKOUT: 'false'
                        run: '"$RUNNER_TEMP/lathe-src/bin/lathe" github run --phase agent --key-file "$RUNNER_TEMP/lathe-key" --key-variable %3$s'
                      - name: Upload the session (lathe import FILE) and the result
                        if: always()
                        uses: actions/upload-artifact@v4
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
                      - uses: actions/checkout@v4
                        with:
                          ref: ${{ needs.gate.outputs.ref }}
                          fetch-depth: 0
                          persist-credentials: false
                %4$s
                      - uses: actions/download-artifact@v4
                        continue-on-error: true
                        with:
                          name: lathe-session
                          path: ${{ runner.temp }}/lathe/
                      - name: Publish
                        env:
                          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}
                          LATHE_HANDOFF: ${{ needs.gate.outputs.handoff }}
                        run: '"$RUNNER_TEMP/lathe-src/bin/lathe" github run --phase publish'
                """.formatted(trigger, repository, keyVariable, build.stripTrailing());
    }
}
