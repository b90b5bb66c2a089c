package org.sp2ot.jobs.eval;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.imageio.ImageIO;

/** Label-free report views built by hand: two methods over 5 clusters, train logs, a gallery and a map. */
final class ReportViewsFixtures {

    /** Three epochs with every field the report charts, the issue-9 ones included. */
    static final String FULL_LOG = """
            {"epoch":1,"loss":2.1,"rho":0.1,"lam":900.0,"mean_weight":0.10,"clusters_used":3,"largest_share":0.5}
            {"epoch":2,"loss":1.7,"rho":0.4,"lam":600.0,"mean_weight":0.40,"clusters_used":4,"largest_share":0.4}
            {"epoch":3,"loss":1.2,"rho":0.9,"lam":100.0,"mean_weight":0.90,"clusters_used":4,"largest_share":0.3}
            """;

    /** Today's log: loss, rho, lam only. */
    static final String OLD_LOG = """
            {"epoch":1,"loss":2.0,"rho":0.1,"lam":0.0,"mean_ot_iterations":12.0}
            {"epoch":2,"loss":1.5,"rho":0.5,"lam":0.0,"mean_ot_iterations":10.0}
            """;

    /** sp2ot's cluster sizes on the training split: 4 of 5 clusters in use. */
    static final long[] SP2OT_SIZES = {12, 6, 4, 2, 0};
    static final long[] KMEANS_SIZES = {12, 6, 4, 1, 1};
    static final long[] CLASS_SIZES = {12, 6, 3, 2, 1};

    private ReportViewsFixtures() {
    }

    static ReportViews views(boolean labels, boolean gallery) {
        double[] xy = new double[2 * 24];
        int[] clusters = new int[24];
        int[] classes = new int[24];
        for (int i = 0; i < 24; i++) {
            clusters[i] = i % 4;
            classes[i] = i % 5;
            xy[2 * i] = Math.cos(i) * (1 + clusters[i]);
            xy[2 * i + 1] = Math.sin(i) * (1 + clusters[i]);
        }
        long[][] sp2otCounts = {{10, 2, 0, 0, 0}, {0, 4, 2, 0, 0}, {0, 0, 2, 1, 0}, {2, 0, 0, 0, 0}, {0, 0, 0, 1, 0}};
        long[][] kmeansCounts = {{6, 6, 0, 0, 0}, {6, 0, 0, 0, 0}, {0, 0, 3, 0, 0}, {0, 0, 1, 1, 0}, {0, 0, 0, 0, 1}};
        List<ReportViews.MethodView> methods = List.of(
                new ReportViews.MethodView("sp2ot", SP2OT_SIZES, TrainCurves.parse(FULL_LOG, "sp2ot.jsonl"),
                        gallery ? gallery() : null, clusters, labels ? sp2otCounts : null),
                new ReportViews.MethodView("kmeans", KMEANS_SIZES, new TrainCurves(new double[0], java.util.Map.of()),
                        null, clusters, labels ? kmeansCounts : null));
        return new ReportViews(methods, new ReportViews.MapSample(xy, labels ? classes : null),
                labels ? CLASS_SIZES : null);
    }

    /** Clusters 0 (12 members shown: 8 + 4) and 1 (6 members, all confident), thumbnails of 96 x 60. */
    static List<ClusterGallery.Cluster> gallery() {
        List<ClusterGallery.Thumb> top = new ArrayList<>();
        List<ClusterGallery.Thumb> low = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            top.add(new ClusterGallery.Thumb(i, 0.99f - 0.01f * i, dataUri(new Color(20 * i, 80, 160)), null));
        }
        for (int i = 0; i < 3; i++) {
            low.add(new ClusterGallery.Thumb(100 + i, 0.3f + 0.01f * i, dataUri(new Color(200, 30 * i, 40)), null));
        }
        low.add(new ClusterGallery.Thumb(103, 0.35f, null, "IOException: unreadable"));
        List<ClusterGallery.Thumb> small = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            small.add(new ClusterGallery.Thumb(200 + i, 0.9f, dataUri(new Color(40, 160, 20 * i)), null));
        }
        return List.of(new ClusterGallery.Cluster(0, 12, top, low), new ClusterGallery.Cluster(1, 6, small, List.of()));
    }

    private static String dataUri(Color color) {
        BufferedImage image = new BufferedImage(96, 60, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, 96, 60);
        g.setColor(Color.WHITE);
        g.fillOval(30, 10, 36, 36);
        g.dispose();
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(image, "jpg", bytes);
            return "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
