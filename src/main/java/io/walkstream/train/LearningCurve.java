package io.walkstream.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/**
 * The learning curve as a PNG: training loss (left axis) and validation HR@10 and AUC (right axis)
 * per epoch.
 */
public final class LearningCurve {
    private LearningCurve() {}

    public static void write(List<Trainer.Epoch> curve, String title, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart =
                new XYChartBuilder()
                        .width(900)
                        .height(500)
                        .title(title)
                        .xAxisTitle("epoch")
                        .build();
        double[] x = curve.stream().mapToDouble(Trainer.Epoch::epoch).toArray();
        XYSeries loss =
                chart.addSeries(
                        "training loss (BPR)",
                        x,
                        curve.stream().mapToDouble(Trainer.Epoch::loss).toArray());
        loss.setYAxisGroup(0);
        XYSeries hr =
                chart.addSeries(
                        "validation HR@10",
                        x,
                        curve.stream().mapToDouble(Trainer.Epoch::validationHr10).toArray());
        hr.setYAxisGroup(1);
        XYSeries auc =
                chart.addSeries(
                        "validation AUC",
                        x,
                        curve.stream().mapToDouble(Trainer.Epoch::validationAuc).toArray());
        auc.setYAxisGroup(1);
        chart.setYAxisGroupTitle(0, "loss");
        chart.setYAxisGroupTitle(1, "HR@10 / AUC");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        String file = png.toString();
        BitmapEncoder.saveBitmap(
                chart,
                file.endsWith(".png") ? file.substring(0, file.length() - 4) : file,
                BitmapEncoder.BitmapFormat.PNG);
    }
}
