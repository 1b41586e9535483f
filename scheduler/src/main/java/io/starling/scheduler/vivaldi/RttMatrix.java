package io.starling.scheduler.vivaldi;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A square matrix of measured RTTs in ms; {@code NaN} marks a missing entry. Reads TSV or CSV
 * (separator detected per line: tab, comma, semicolon or whitespace), with an optional header row
 * and/or header column of host names; empty cells, "NaN", "-", "NA" and negative values are missing.
 */
public final class RttMatrix {
    private static final Pattern SPLIT = Pattern.compile("\\t|,|;|\\s+");
    /** Refuse absurd inputs rather than run out of memory. */
    public static final int MAX_NODES = 20_000;

    private final double[][] rtt;

    public RttMatrix(double[][] rtt) {
        int n = rtt.length;
        for (double[] row : rtt) {
            if (row.length != n) {
                throw new IllegalArgumentException("RTT matrix is not square: " + n + " rows, a row of " + row.length);
            }
        }
        this.rtt = rtt;
    }

    public int size() {
        return rtt.length;
    }

    /** RTT from i to j in ms, NaN when unknown (the diagonal is 0). */
    public double rtt(int i, int j) {
        return rtt[i][j];
    }

    public boolean known(int i, int j) {
        return i != j && rtt[i][j] > 0;
    }

    public static RttMatrix read(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    lines.add(line);
                }
                if (lines.size() > MAX_NODES + 1) {
                    throw new IllegalArgumentException(file + ": more than " + MAX_NODES + " rows");
                }
            }
        }
        return parse(lines, file.toString());
    }

    public static RttMatrix parse(List<String> lines, String source) {
        List<String[]> rows = new ArrayList<>();
        for (String l : lines) {
            String t = l.strip();
            rows.add(l.indexOf('\t') >= 0 || l.indexOf(',') >= 0 || l.indexOf(';') >= 0
                    ? l.split("\\t|,|;", -1) : SPLIT.split(t, -1));
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(source + ": empty RTT matrix");
        }
        boolean headerRow = !rows.get(0)[rows.get(0).length - 1].isBlank() && !isNumberOrMissing(rows.get(0)[rows.get(0).length - 1]);
        if (headerRow) {
            rows.remove(0);
        }
        int n = rows.size();
        if (n == 0) {
            throw new IllegalArgumentException(source + ": no data rows");
        }
        boolean headerCol = rows.stream().anyMatch(r -> r.length > 0 && !isNumberOrMissing(r[0]));
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            String[] r = rows.get(i);
            int from = headerCol ? 1 : 0;
            int cells = r.length - from;
            if (cells == n + 1 && r[r.length - 1].isBlank()) {
                cells = n; // trailing separator
            }
            if (cells != n) {
                throw new IllegalArgumentException(source + ": row " + (i + 1) + " has " + cells + " values, expected " + n
                        + " (the matrix must be square)");
            }
            m[i] = new double[n];
            for (int j = 0; j < n; j++) {
                m[i][j] = i == j ? 0 : value(r[from + j]);
            }
        }
        return new RttMatrix(m);
    }

    private static boolean isNumberOrMissing(String s) {
        String t = s.strip();
        if (t.isEmpty() || t.equals("-") || t.equalsIgnoreCase("na") || t.equalsIgnoreCase("nan")) {
            return true;
        }
        try {
            Double.parseDouble(t);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static double value(String s) {
        String t = s.strip();
        if (t.isEmpty()) {
            return Double.NaN;
        }
        try {
            double v = Double.parseDouble(t);
            return Double.isFinite(v) && v > 0 ? v : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
