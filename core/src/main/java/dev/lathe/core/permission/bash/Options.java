package dev.lathe.core.permission.bash;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * getopt-style split of a command's arguments into options (with their values) and operands. {@code valued} names
 * the options that take a value ({@code -n}, {@code --lines}); a short cluster {@code -xzf FILE} gives the value to
 * its last valued letter, {@code -n5} and {@code --lines=5} carry it inline. {@code --} ends the options. An unknown
 * word (a variable) is an operand, never an option.
 */
record Options(List<Opt> opts, List<Word> operands) {
    record Opt(String name, Word value) {}

    static Options parse(List<Word> args, Set<String> valued) {
        List<Opt> opts = new ArrayList<>();
        List<Word> operands = new ArrayList<>();
        boolean done = false;
        for (int i = 0; i < args.size(); i++) {
            Word w = args.get(i);
            String v = w.value();
            if (done || v == null || !v.startsWith("-") || v.equals("-")) {
                operands.add(w);
                continue;
            }
            if (v.equals("--")) {
                done = true;
            } else if (v.startsWith("--")) {
                int eq = v.indexOf('=');
                if (eq > 0) opts.add(new Opt(v.substring(0, eq), Word.literal(v.substring(eq + 1))));
                else if (valued.contains(v) && i + 1 < args.size()) opts.add(new Opt(v, args.get(++i)));
                else opts.add(new Opt(v, null));
            } else {
                for (int k = 1; k < v.length(); k++) {
                    String name = "-" + v.charAt(k);
                    if (valued.contains(name)) {
                        if (k + 1 < v.length()) opts.add(new Opt(name, Word.literal(v.substring(k + 1))));
                        else opts.add(new Opt(name, i + 1 < args.size() ? args.get(++i) : null));
                        break;
                    }
                    opts.add(new Opt(name, null));
                }
            }
        }
        return new Options(opts, operands);
    }

    boolean has(String... names) {
        for (Opt o : opts) for (String n : names) if (o.name().equals(n)) return true;
        return false;
    }

    List<Word> values(String... names) {
        List<Word> out = new ArrayList<>();
        for (Opt o : opts) for (String n : names) if (o.name().equals(n) && o.value() != null) out.add(o.value());
        return out;
    }
}
