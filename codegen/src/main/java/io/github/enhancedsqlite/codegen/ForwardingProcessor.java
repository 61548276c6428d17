package io.github.enhancedsqlite.codegen;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;

/**
 * Writes the forwarding layer of the JDBC wrappers at build time from the JDK's own {@code java.sql} interfaces, so
 * it follows the JDK the driver is built with and no generated code is committed. For a class marked {@link Forward}
 * it writes an abstract subclass that implements each interface method the marked class leaves abstract as one call
 * to the delegate, with any {@code SQLException} passed through {@code checkException}.
 */
@SupportedAnnotationTypes({"io.github.enhancedsqlite.codegen.Forward", "io.github.enhancedsqlite.codegen.Refusing"})
public final class ForwardingProcessor extends AbstractProcessor {

    private static final String SQL_EXCEPTION = "java.sql.SQLException";

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        for (TypeElement annotation : annotations) {
            for (Element marked : round.getElementsAnnotatedWith(annotation)) {
                try {
                    if (annotation.getSimpleName().contentEquals("Refusing")) {
                        generateRefusing((TypeElement) marked, mirrorOf(marked, annotation));
                        continue;
                    }
                    generate((TypeElement) marked, mirrorOf(marked, annotation));
                } catch (IOException e) {
                    processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                            "Could not write the forwarding class: " + e.getMessage(), marked);
                }
            }
        }
        return true;
    }

    private static AnnotationMirror mirrorOf(Element marked, TypeElement annotation) {
        for (AnnotationMirror mirror : marked.getAnnotationMirrors()) {
            if (mirror.getAnnotationType().asElement().equals(annotation)) {
                return mirror;
            }
        }
        throw new IllegalStateException("no @Forward on " + marked);
    }

    private void generate(TypeElement base, AnnotationMirror forward) throws IOException {
        TypeElement jdbcInterface = null;
        String field = "delegate";
        String name = null;
        List<TypeElement> skipped = new ArrayList<>();
        boolean wrapResultSets = false;
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
                : processingEnv.getElementUtils().getElementValuesWithDefaults(forward).entrySet()) {
            String key = entry.getKey().getSimpleName().toString();
            Object value = entry.getValue().getValue();
            if (key.equals("value")) {
                jdbcInterface = (TypeElement) ((DeclaredType) value).asElement();
            } else if (key.equals("field")) {
                field = (String) value;
            } else if (key.equals("name")) {
                name = (String) value;
            } else if (key.equals("skip")) {
                for (Object skip : (List<?>) value) {
                    skipped.add((TypeElement) ((DeclaredType) ((AnnotationValue) skip).getValue()).asElement());
                }
            } else if (key.equals("wrapResultSets")) {
                wrapResultSets = (Boolean) value;
            }
        }
        String packageName = ((PackageElement) processingEnv.getElementUtils().getPackageOf(base))
                .getQualifiedName().toString();
        StringBuilder source = new StringBuilder();
        source.append("// Generated at build time by ").append(ForwardingProcessor.class.getName())
                .append(" from ").append(jdbcInterface.getQualifiedName()).append("; do not edit.\n");
        source.append("package ").append(packageName).append(";\n\n");
        source.append("/** Every method of {@link ").append(jdbcInterface.getQualifiedName()).append("} that {@link ")
                .append(base.getSimpleName()).append("} leaves open, forwarded to {@code ").append(field)
                .append("}; every SQLException passes checkException. */\n");
        source.append("@SuppressWarnings(\"deprecation\")\n");
        source.append("abstract class ").append(name).append(" extends ").append(base.getSimpleName()).append(" {\n");
        for (ExecutableElement constructor : ElementFilter.constructorsIn(base.getEnclosedElements())) {
            if (!constructor.getModifiers().contains(Modifier.PRIVATE)) {
                appendConstructor(source, name, constructor);
            }
        }
        Set<String> implemented = implementedIn(base);
        for (TypeElement skip : skipped) {
            implemented.addAll(interfaceMethods(skip).keySet());
        }
        for (ExecutableElement method : interfaceMethods(jdbcInterface).values()) {
            if (!implemented.contains(signature(method))) {
                appendForward(source, field, method, wrapResultSets);
            }
        }
        source.append("}\n");
        try (Writer out = processingEnv.getFiler().createSourceFile(packageName + "." + name, base).openWriter()) {
            out.write(source.toString());
        }
    }

    /** The {@link Refusing} class: every method the marked class leaves open throws its {@code refusal()}. */
    private void generateRefusing(TypeElement base, AnnotationMirror refusing) throws IOException {
        Map<String, Object> values = valuesOf(refusing);
        TypeElement jdbcInterface = (TypeElement) ((DeclaredType) values.get("value")).asElement();
        String name = (String) values.get("name");
        String packageName = ((PackageElement) processingEnv.getElementUtils().getPackageOf(base))
                .getQualifiedName().toString();
        // a nested base is named from its package: Outer.Base
        String baseName = base.getQualifiedName().toString().substring(packageName.length() + 1);
        StringBuilder source = new StringBuilder();
        source.append("// Generated at build time by ").append(ForwardingProcessor.class.getName())
                .append(" from ").append(jdbcInterface.getQualifiedName()).append("; do not edit.\n");
        source.append("package ").append(packageName).append(";\n\n");
        source.append("/** Every method of {@link ").append(jdbcInterface.getQualifiedName()).append("} that {@link ")
                .append(baseName).append("} leaves open, refused with its refusal(). */\n");
        source.append("@SuppressWarnings(\"deprecation\")\n");
        source.append("final class ").append(name).append(" extends ").append(baseName).append(" {\n");
        Set<String> implemented = implementedIn(base);
        for (ExecutableElement method : interfaceMethods(jdbcInterface).values()) {
            if (!implemented.contains(signature(method))) {
                appendSignature(source, method);
                source.append(throwsSqlException(method) ? "        throw refusal();\n"
                        : "        throw new IllegalStateException(refusal().getMessage());\n");
                source.append("    }\n");
            }
        }
        source.append("}\n");
        try (Writer out = processingEnv.getFiler().createSourceFile(packageName + "." + name, base).openWriter()) {
            out.write(source.toString());
        }
    }

    /** The annotation's values by name, defaults included. */
    private Map<String, Object> valuesOf(AnnotationMirror annotation) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
                : processingEnv.getElementUtils().getElementValuesWithDefaults(annotation).entrySet()) {
            values.put(entry.getKey().getSimpleName().toString(), entry.getValue().getValue());
        }
        return values;
    }

    /** Every instance method of the interface and the interfaces it extends, the most specific declaration first. */
    private Map<String, ExecutableElement> interfaceMethods(TypeElement jdbcInterface) {
        Map<String, ExecutableElement> methods = new LinkedHashMap<>();
        Deque<TypeElement> pending = new ArrayDeque<>();
        Set<TypeElement> seen = new HashSet<>();
        pending.add(jdbcInterface);
        while (!pending.isEmpty()) {
            TypeElement type = pending.poll();
            if (!seen.add(type)) {
                continue;
            }
            for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
                if (!method.getModifiers().contains(Modifier.STATIC)) {
                    methods.putIfAbsent(signature(method), method);
                }
            }
            for (TypeMirror parent : type.getInterfaces()) {
                pending.add((TypeElement) ((DeclaredType) parent).asElement());
            }
        }
        return methods;
    }

    /**
     * Signatures of the methods the marked class and its superclasses of the same package already implement. A
     * superclass from elsewhere (sqlite-jdbc's {@code SQLiteConnection}, which the application's connection extends so
     * that sqlite-jdbc's own helpers accept it) is not ours: what it implements is forwarded all the same.
     */
    private Set<String> implementedIn(TypeElement base) {
        Set<String> implemented = new HashSet<>();
        PackageElement ours = processingEnv.getElementUtils().getPackageOf(base);
        for (TypeElement type = base; type != null; type = superclassOf(type)) {
            if (!processingEnv.getElementUtils().getPackageOf(type).equals(ours)) {
                break;
            }
            for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
                if (!method.getModifiers().contains(Modifier.ABSTRACT)) {
                    implemented.add(signature(method));
                }
            }
        }
        return implemented;
    }

    private static TypeElement superclassOf(TypeElement type) {
        TypeMirror parent = type.getSuperclass();
        return parent.getKind() == TypeKind.DECLARED ? (TypeElement) ((DeclaredType) parent).asElement() : null;
    }

    private String signature(ExecutableElement method) {
        StringJoiner parameters = new StringJoiner(",", method.getSimpleName() + "(", ")");
        for (VariableElement parameter : method.getParameters()) {
            parameters.add(processingEnv.getTypeUtils().erasure(parameter.asType()).toString());
        }
        return parameters.toString();
    }

    private static void appendConstructor(StringBuilder source, String name, ExecutableElement constructor) {
        List<String> arguments = new ArrayList<>();
        source.append("\n    ").append(name).append("(");
        StringJoiner parameters = new StringJoiner(", ");
        int index = 0;
        for (VariableElement parameter : constructor.getParameters()) {
            String argument = "p" + index++;
            parameters.add(parameter.asType() + " " + argument);
            arguments.add(argument);
        }
        source.append(parameters).append(")").append(throwsClause(constructor)).append(" {\n");
        source.append("        super(").append(String.join(", ", arguments)).append(");\n    }\n");
    }

    private static void appendForward(StringBuilder source, String field, ExecutableElement method,
                                      boolean wrapResultSets) {
        StringJoiner arguments = appendSignature(source, method);
        boolean returns = method.getReturnType().getKind() != TypeKind.VOID;
        String forwarded = field + "." + method.getSimpleName() + "(" + arguments + ")";
        if (wrapResultSets && method.getReturnType().toString().equals("java.sql.ResultSet")) {
            forwarded = "wrapResultSet(" + forwarded + ")";
        }
        String call = (returns ? "return " : "") + forwarded + ";";
        if (throwsSqlException(method)) {
            source.append("        try {\n            ").append(call).append("\n        } catch (")
                    .append(SQL_EXCEPTION).append(" e) {\n            throw checkException(e);\n        }\n");
        } else {
            source.append("        ").append(call).append('\n');
        }
        source.append("    }\n");
    }

    /** The method's declaration up to its opening brace; returns its arguments' names, for a call. */
    private static StringJoiner appendSignature(StringBuilder source, ExecutableElement method) {
        source.append("\n    @Override\n    public ");
        List<? extends TypeParameterElement> typeParameters = method.getTypeParameters();
        if (!typeParameters.isEmpty()) {
            StringJoiner declared = new StringJoiner(", ", "<", "> ");
            for (TypeParameterElement typeParameter : typeParameters) {
                StringJoiner bounds = new StringJoiner(" & ");
                for (TypeMirror bound : typeParameter.getBounds()) {
                    if (!bound.toString().equals("java.lang.Object")) {
                        bounds.add(bound.toString());
                    }
                }
                declared.add(typeParameter.getSimpleName() + (bounds.length() == 0 ? "" : " extends " + bounds));
            }
            source.append(declared);
        }
        source.append(method.getReturnType()).append(' ').append(method.getSimpleName()).append('(');
        StringJoiner parameters = new StringJoiner(", ");
        StringJoiner arguments = new StringJoiner(", ");
        int index = 0;
        for (VariableElement parameter : method.getParameters()) {
            String argument = "p" + index++;
            parameters.add(parameter.asType() + " " + argument);
            arguments.add(argument);
        }
        source.append(parameters).append(')').append(throwsClause(method)).append(" {\n");
        return arguments;
    }

    private static boolean throwsSqlException(ExecutableElement method) {
        for (TypeMirror thrown : method.getThrownTypes()) {
            if (thrown.toString().equals(SQL_EXCEPTION)) {
                return true;
            }
        }
        return false;
    }

    private static String throwsClause(ExecutableElement executable) {
        if (executable.getThrownTypes().isEmpty()) {
            return "";
        }
        StringJoiner thrown = new StringJoiner(", ", " throws ", "");
        for (TypeMirror type : executable.getThrownTypes()) {
            thrown.add(type.toString());
        }
        return thrown.toString();
    }
}
