package dev.lathe.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.project.Project;
import dev.lathe.protocol.ProjectId;
import org.junit.jupiter.api.Test;

/**
 * The prompt-cache key a request carries is the same bytes as before it was kept between steps (issue 55): the last
 * key is reused only for the same agent, model and project, and any one of them changing makes the key it names.
 */
class CacheKeyTest {
    private static Project project(String id) {
        return new Project(new ProjectId(id), null, null, null, null, null, null, "", null, null, null, null);
    }

    @Test
    void eachOfAgentModelAndProjectMakesItsOwnKeyAndTheSameOnesGiveTheSameKeyAgain() {
        Project a = project("prj_a");
        // the golden keys: SHA-256 of "agent\nmodel\nproject", its first 12 bytes in hex (what providers have cached under)
        assertThat(ContextBuilder.cacheKey("build", "fake/m", a)).isEqualTo("lathe-880114441c5550ae81bbf87b");
        assertThat(ContextBuilder.cacheKey("build", "fake/m", a)).isEqualTo("lathe-880114441c5550ae81bbf87b");
        assertThat(ContextBuilder.cacheKey("plan", "fake/m", a)).isEqualTo("lathe-56cb706d13acd9bd2235690a");
        assertThat(ContextBuilder.cacheKey("build", "fake/m", a)).isEqualTo("lathe-880114441c5550ae81bbf87b");
        assertThat(ContextBuilder.cacheKey("build", "fake/n", a)).isEqualTo("lathe-01a2f32cd6b0bac461144af0");
        assertThat(ContextBuilder.cacheKey("build", "fake/n", project("prj_a"))).isEqualTo("lathe-01a2f32cd6b0bac461144af0");
        assertThat(ContextBuilder.cacheKey("build", "fake/m", project("prj_b"))).isEqualTo("lathe-400387924f4fb575d100bb01");
        assertThat(ContextBuilder.cacheKey("build", "fake/m", a)).isEqualTo("lathe-880114441c5550ae81bbf87b");
    }
}
