package io.starling.simulator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** PNG plots (JFreeChart, headless): CDF of pod start-up latency and a time series of the run. */
final class Plots {
    private Plots() {}

    static List<String> write(SimulationResult r, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> out = new ArrayList<>();
        List<String> pods = r.tables().get("pods.csv");
        if (pods != null && pods.size() > 1) {
            List<Double> lat = new ArrayList<>();
            for (String row : pods.subList(1, pods.size())) {
                String[] f = row.split(",");
                long created = Long.parseLong(f[6]);
                long observed = Long.parseLong(f[9]);
                if (created >= 0 && observed >= 0 && !"Deleted".equals(f[5])) {
                    lat.add((double) (observed - created));
                }
            }
            if (!lat.isEmpty()) {
                double[] v = lat.stream().mapToDouble(Double::doubleValue).toArray();
                Arrays.sort(v);
                XYSeries s = new XYSeries("create -> Running observed at the users' site");
                for (int i = 0; i < v.length; i++) {
                    s.add(v[i], (i + 1) / (double) v.length);
                }
                JFreeChart c = ChartFactory.createXYLineChart("Pod start-up latency (CDF)", "milliseconds (virtual)", "fraction of pods",
                        new XYSeriesCollection(s), PlotOrientation.VERTICAL, true, false, false);
                ChartUtils.saveChartAsPNG(dir.resolve("pod-startup-cdf.png").toFile(), c, 800, 500);
                out.add("pod-startup-cdf.png");
            }
        }
        List<String> ts = r.tables().get("timeseries.csv");
        if (ts != null && ts.size() > 2) {
            XYSeries edges = new XYSeries("live edge peers");
            XYSeries running = new XYSeries("pods running");
            XYSeries supers = new XYSeries("live super-peers");
            for (String row : ts.subList(1, ts.size())) {
                String[] f = row.split(",");
                double t = Double.parseDouble(f[0]);
                supers.add(t, Double.parseDouble(f[1]));
                edges.add(t, Double.parseDouble(f[2]));
                running.add(t, Double.parseDouble(f[5]));
            }
            XYSeriesCollection data = new XYSeriesCollection();
            data.addSeries(edges);
            data.addSeries(supers);
            data.addSeries(running);
            JFreeChart c = ChartFactory.createXYLineChart("Peers and running pods over time", "seconds (virtual)", "count", data,
                    PlotOrientation.VERTICAL, true, false, false);
            ChartUtils.saveChartAsPNG(dir.resolve("timeseries.png").toFile(), c, 800, 500);
            out.add("timeseries.png");
        }
        return out;
    }
}
