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
        return """
                # Lathe in GitHub Actions: comment "%1$s ..." on an issue or pull request (docs/github.md).
                # Written by `lathe github install`.
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

                # the least the run needs: push a branch, comment, open a pull request, post a review
                permissions:
                  contents: write
                  issues: write
                  pull-requests: write

                jobs:
                  lathe:
                    # skip comments without the trigger before a runner starts; lathe github run checks again,
                    # with the commenter's permission
                    if: >-
                      github.event_name == 'workflow_dispatch' ||
                      github.event_name == 'pull_request' ||
                      contains(github.event.comment.body, '%1$s') ||
                      (github.event_name == 'issues' && contains(github.event.issue.body, '%1$s'))
                    runs-on: ubuntu-latest
                    timeout-minutes: 30
                    concurrency:
                      group: lathe-${{ github.event.issue.number || github.event.pull_request.number || github.run_id }}
                    steps:
                      - uses: actions/checkout@v4
                        with:
                          fetch-depth: 0
                          # the session can read .git: the token is not left there (lathe pushes with it itself)
                          persist-credentials: false
                      - uses: actions/setup-java@v4
                        with:
                          distribution: temurin
                          java-version: '25'
                      - name: Build Lathe
                        env:
                          LATHE_REPOSITORY: %2$s
                          LATHE_REF: %3$s
                        run: |
                          git clone --quiet "$LATHE_REPOSITORY" "$RUNNER_TEMP/lathe-src"
                          git -C "$RUNNER_TEMP/lathe-src" checkout --quiet "$LATHE_REF"
                          "$RUNNER_TEMP/lathe-src/bin/lathe" --version
                      - name: Lathe
                        env:
                          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}
                          %4$s: ${{ secrets.%4$s }}
                        run: '"$RUNNER_TEMP/lathe-src/bin/lathe" github run'
                      - name: Upload the session (lathe import FILE)
                        if: always()
                        uses: actions/upload-artifact@v4
                        with:
                          name: lathe-session
                          path: ${{ runner.temp }}/lathe/
                          if-no-files-found: ignore
                """.formatted(trigger, repository, ref, keyVariable);
    }
}
