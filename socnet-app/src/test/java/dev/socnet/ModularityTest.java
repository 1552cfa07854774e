package dev.socnet;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * Module boundaries: each top-level package under {@code dev.socnet} is a module; no cycles, no
 * reaching into another module's internals, and no dependency its {@code package-info.java} does not
 * declare ({@code allowedDependencies}, decision 0017). Also writes the module documentation (PlantUML and
 * canvases) to {@code target/spring-modulith-docs}.
 */
class ModularityTest {

    private final ApplicationModules modules = ApplicationModules.of(SocnetApplication.class);

    @Test
    void moduleBoundariesHold() {
        modules.verify();
    }

    @Test
    void writesModuleDocumentation() {
        new Documenter(modules).writeDocumentation();
    }
}
