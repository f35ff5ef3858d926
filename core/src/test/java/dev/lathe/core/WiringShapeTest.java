package dev.lathe.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.source.tree.AnnotatedTypeTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.ParameterizedTypeTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreeScanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ratchets on how core is wired (issue 71, decision 523), read from core's main sources by the JDK's own parser
 * (syntax only, no dependency):
 *
 * <ul>
 *   <li><b>function-typed fields</b>: every field and record component whose declared type is an interface of
 *       {@code java.util.function} (imported by name, by {@code java.util.function.*}, or written out) or
 *       {@link Runnable}, static or not, counted once per declaration. Each is a dependency with no name saying what it
 *       is; what belongs together is a named port instead. The count may only go down: lower {@link #FUNCTION_FIELDS}
 *       when it does.
 *   <li><b>records of more than {@value #MAX_COMPONENTS} components</b>: none, but the values read from files and
 *       databases listed in {@link #VALUES} (their shape is a format's) and the wiring records still to be split, listed
 *       in {@link #TO_SPLIT}, which may only shrink.
 * </ul>
 */
class WiringShapeTest {
    /** The function-typed fields and record components of core's main code today (117 when the issue was taken). */
    static final int FUNCTION_FIELDS = 55;
    static final int MAX_COMPONENTS = 8;

    /** Values whose components are a format's fields (config, manifests, stored rows, hook output): their own shape. */
    static final Set<String> VALUES = Set.of("config/Config.java Config", "config/Config.java AgentConfig", "agent/Agent.java Agent",
            "agent/AgentSpec.java AgentSpec", "hooks/HookOutput.java HookOutput", "acpagent/AgentToolCall.java AgentToolCall",
            "claudeplugin/PluginManifest.java PluginManifest", "store/postgresql/PgNodeState.java PgNodeState",
            "store/ScheduleStore.java Stored", "config/ManagedPolicy.java ManagedPolicy", "project/Project.java Project");

    /** Wiring records over the limit, to be grouped into named ports; a record leaves this list when it is split. */
    static final Set<String> TO_SPLIT = Set.of();

    private static final Set<String> FUNCTION_TYPES = Set.of("Function", "BiFunction", "IntFunction", "LongFunction", "DoubleFunction",
            "ToIntFunction", "ToLongFunction", "ToDoubleFunction", "ToIntBiFunction", "ToLongBiFunction", "ToDoubleBiFunction", "IntToLongFunction",
            "IntToDoubleFunction", "LongToIntFunction", "LongToDoubleFunction", "DoubleToIntFunction", "DoubleToLongFunction", "Supplier",
            "BooleanSupplier", "IntSupplier", "LongSupplier", "DoubleSupplier", "Consumer", "BiConsumer", "IntConsumer", "LongConsumer",
            "DoubleConsumer", "ObjIntConsumer", "ObjLongConsumer", "ObjDoubleConsumer", "Predicate", "BiPredicate", "IntPredicate", "LongPredicate",
            "DoublePredicate", "UnaryOperator", "BinaryOperator", "IntUnaryOperator", "LongUnaryOperator", "DoubleUnaryOperator",
            "IntBinaryOperator", "LongBinaryOperator", "DoubleBinaryOperator");

    private static Shape core;

    @BeforeAll
    static void readCore() throws IOException {
        core = Shape.of(Path.of("src/main/java/dev/lathe/core"));
    }

    @Test
    void functionTypedFieldsOnlyGoDown() {
        assertThat(core.functionFields()).as("function-typed fields and record components in core (group them into named ports)")
                .hasSizeLessThanOrEqualTo(FUNCTION_FIELDS);
        assertThat(core.functionFields().size())
                .as("fewer function-typed fields than WiringShapeTest.FUNCTION_FIELDS: lower it to the new count\n" + String.join("\n", core.functionFields()))
                .isEqualTo(FUNCTION_FIELDS);
    }

    @Test
    void noNewRecordOverEightComponentsAndTheListOnlyShrinks() {
        Set<String> over = new TreeSet<>(core.largeRecords());
        over.removeAll(VALUES);
        assertThat(over).as("records of more than " + MAX_COMPONENTS + " components (group what belongs together into named ports)")
                .isSubsetOf(TO_SPLIT);
        assertThat(TO_SPLIT).as("records split since: take them off WiringShapeTest.TO_SPLIT").isSubsetOf(over);
        assertThat(VALUES).as("values no longer over the limit: take them off WiringShapeTest.VALUES").isSubsetOf(core.largeRecords());
    }

    @Test
    void countsWhatItSaysItCounts(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("a"));
        Files.writeString(root.resolve("a/A.java"), """
                package a;
                import java.util.function.Function;
                import java.util.function.*;
                class A {
                    private final Function<String, String> named = s -> s;
                    static final Supplier<String> starred = () -> "";
                    java.util.function.Consumer<String> written = s -> {};
                    Runnable runnable = () -> {};
                    java.util.List<Function<String, String>> notItself = java.util.List.of();
                    String text = "Function<String, String> f;"; // Supplier<String> s;
                    record Wide(Predicate<String> p, int b, int c, int d, int e, int f, int g, int h, int i) {
                        static final int NOT_A_COMPONENT = 1;
                    }
                    record Narrow(int a, int b, int c, int d, int e, int f, int g, int h) {}
                }
                """);
        var shape = Shape.of(root);
        assertThat(shape.functionFields()).containsExactly("a/A.java A.named", "a/A.java A.starred", "a/A.java A.written", "a/A.java A.runnable",
                "a/A.java Wide.p");
        assertThat(shape.largeRecords()).containsExactly("a/A.java Wide");
    }

    /** What the ratchets count in one source tree: {@code file Class.field} and {@code file Record}, paths relative to it. */
    record Shape(List<String> functionFields, List<String> largeRecords) {
        static Shape of(Path tree) throws IOException {
            Path root = tree.toAbsolutePath();
            List<Path> files;
            try (Stream<Path> walk = Files.walk(root)) {
                files = walk.filter(f -> f.toString().endsWith(".java")).sorted().toList();
            }
            var javac = ToolProvider.getSystemJavaCompiler();
            var fileManager = javac.getStandardFileManager(null, null, null);
            var task = (JavacTask) javac.getTask(null, fileManager, _ -> {}, List.of("-proc:none"), null, fileManager.getJavaFileObjectsFromPaths(files));
            var shape = new Shape(new ArrayList<>(), new ArrayList<>());
            for (CompilationUnitTree unit : task.parse()) shape.read(unit, root.relativize(Path.of(unit.getSourceFile().toUri())).toString().replace('\\', '/'));
            fileManager.close();
            return shape;
        }

        private void read(CompilationUnitTree unit, String file) {
            Set<String> imported = new HashSet<>();
            boolean all = false;
            for (ImportTree i : unit.getImports()) {
                String name = i.getQualifiedIdentifier().toString();
                if (i.isStatic() || !name.startsWith("java.util.function.")) continue;
                if (name.endsWith(".*")) all = true;
                else imported.add(name.substring("java.util.function.".length()));
            }
            boolean starred = all;
            new TreeScanner<Void, Void>() {
                @Override
                public Void visitClass(ClassTree type, Void nothing) {
                    int components = 0;
                    for (Tree member : type.getMembers()) {
                        if (!(member instanceof VariableTree field)) continue;
                        boolean isStatic = field.getModifiers().getFlags().contains(Modifier.STATIC) || type.getKind() != Tree.Kind.CLASS
                                && type.getKind() != Tree.Kind.RECORD && type.getKind() != Tree.Kind.ENUM;
                        if (type.getKind() == Tree.Kind.RECORD && !isStatic) components++;
                        if (isFunction(field.getType(), imported, starred)) functionFields.add(file + " " + type.getSimpleName() + "." + field.getName());
                    }
                    if (type.getKind() == Tree.Kind.RECORD && components > MAX_COMPONENTS) largeRecords.add(file + " " + type.getSimpleName());
                    return super.visitClass(type, nothing);
                }
            }.scan(unit, null);
        }

        private static boolean isFunction(Tree type, Set<String> imported, boolean starred) {
            if (type instanceof AnnotatedTypeTree annotated) type = annotated.getUnderlyingType();
            if (type instanceof ParameterizedTypeTree generic) type = generic.getType();
            if (type instanceof IdentifierTree simple) {
                String name = simple.getName().toString();
                return name.equals("Runnable") || imported.contains(name) || starred && FUNCTION_TYPES.contains(name);
            }
            return type instanceof MemberSelectTree qualified && (qualified.getExpression().toString().equals("java.util.function")
                    && FUNCTION_TYPES.contains(qualified.getIdentifier().toString()) || qualified.toString().equals("java.lang.Runnable"));
        }
    }
}
