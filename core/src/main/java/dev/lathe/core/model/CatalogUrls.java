package dev.lathe.core.model;

import dev.lathe.core.trust.AdmittedUrl;
import dev.lathe.core.subscription.Plan;
import dev.lathe.llm.catalog.Catalog;
import dev.lathe.llm.catalog.CatalogModel;
import dev.lathe.llm.catalog.CatalogProvider;
import dev.lathe.llm.catalog.WireProtocols;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The base URLs Lathe itself knows for a provider, which a managed {@code allowedProviders} admits when
 * {@code allowedBaseUrls} lists none for it (decision 558): the provider's and its models' {@code api} in the catalog
 * this Lathe was built with, the default URL of their wire protocol, and a subscription's own backend. The bundled
 * catalog, never the cached download: that copy is in the user's folder, and the user is whom the policy holds.
 */
public final class CatalogUrls {
    private CatalogUrls() {}

    /** Parsed once, when a policy first needs it. */
    private static final class Bundled {
        static final Catalog CATALOG = Catalog.bundled();
    }

    /** The URLs for {@code provider}, as written (a catalog URL may hold {@code ${VAR}}); empty for one Lathe does not know. */
    public static List<AdmittedUrl> of(String provider) {
        Set<String> urls = new LinkedHashSet<>();
        Optional<CatalogProvider> listed = Bundled.CATALOG.provider(provider);
        listed.ifPresent(p -> {
            p.api().ifPresent(urls::add);
            WireProtocols.of(p.npm(), Optional.empty()).flatMap(WireProtocols.Wire::defaultBaseUrl).ifPresent(urls::add);
            for (CatalogModel m : p.models().values()) {
                m.api().ifPresent(urls::add);
                WireProtocols.of(m.npm().orElse(p.npm()), m.shape()).flatMap(WireProtocols.Wire::defaultBaseUrl).ifPresent(urls::add);
            }
        });
        Plan.forProvider(provider).ifPresent(plan -> urls.add(plan.backend().toString()));
        List<AdmittedUrl> out = new ArrayList<>();
        for (String url : urls) AdmittedUrl.of(url).ifPresent(out::add);
        return List.copyOf(out);
    }
}
