package io.walkstream.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Random;
import org.junit.jupiter.api.Test;

class VectorsTest {
    @Test
    void quantisedCosineIsWithinOnePercentOfTheExactCosine() {
        Random rnd = new Random(3);
        for (int t = 0; t < 100; t++) {
            float[] a = new float[32];
            float[] b = new float[32];
            for (int i = 0; i < 32; i++) {
                a[i] = (float) rnd.nextGaussian();
                b[i] = (float) (0.5 * a[i] + rnd.nextGaussian());
            }
            double dot = 0, na = 0, nb = 0;
            for (int i = 0; i < 32; i++) {
                dot += a[i] * b[i];
                na += a[i] * a[i];
                nb += b[i] * b[i];
            }
            double exact = dot / Math.sqrt(na * nb);
            double[] acc = new double[32];
            Vectors.addUnit(acc, Vectors.quantize(a), 1);
            assertThat(Vectors.cosine(acc, Vectors.quantize(b))).isCloseTo(exact, offset(0.01));
        }
    }

    @Test
    void itemsSharingContextsAreCloserThanItemsThatShareNone() {
        long day = 86_400_000L;
        ItemFacts a = new ItemFacts();
        ItemFacts b = new ItemFacts();
        ItemFacts c = new ItemFacts();
        for (long ctx = 1; ctx <= 20; ctx++) {
            a.addContext(ctx, 1, ctx * 1000, 14 * day, 64);
            b.addContext(
                    ctx + (ctx % 4 == 0 ? 1000 : 0),
                    1,
                    ctx * 1000,
                    14 * day,
                    64); // shares 15 of 20
            c.addContext(ctx + 5000, 1, ctx * 1000, 14 * day, 64);
        }
        double[] user = new double[64];
        Vectors.addUnit(user, Vectors.quantize(a.effectiveVector()), 1);
        double ab = Vectors.cosine(user, Vectors.quantize(b.effectiveVector()));
        double ac = Vectors.cosine(user, Vectors.quantize(c.effectiveVector()));
        assertThat(ab).isGreaterThan(0.5);
        assertThat(Math.abs(ac)).isLessThan(0.45);
    }

    @Test
    void theBuiltInVectorDoesNotDependOnArrivalOrder() {
        long h = 3_600_000L;
        ItemFacts inOrder = new ItemFacts();
        ItemFacts reversed = new ItemFacts();
        for (int i = 0; i < 10; i++) {
            inOrder.addContext(i, 1 + i, i * h, 5 * h, 32);
        }
        for (int i = 9; i >= 0; i--) {
            reversed.addContext(i, 1 + i, i * h, 5 * h, 32);
        }
        for (int d = 0; d < 32; d++) {
            assertThat(reversed.vector[d]).isCloseTo(inOrder.vector[d], offset(1e-4f));
        }
    }

    @Test
    void suppliedVectorsTakePrecedence() {
        ItemFacts f = new ItemFacts();
        f.addContext(1, 1, 0, 0, 8);
        assertThat(f.effectiveVector()).isSameAs(f.vector);
        f.supplied = new float[] {1, 2, 3};
        assertThat(f.effectiveVector()).containsExactly(1, 2, 3);
    }
}
