package org.sp2ot.jobs.choosek;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

import org.junit.jupiter.api.Test;

class ChooseKReportTest {

    private static CandidateScore candidate(int k, double used, double score) {
        return new CandidateScore(k, used, used, 0.9, 0.1, 0.89, score / 0.89, score, 1.0);
    }

    private static ChooseKResult result(int best, int suggested) {
        return new ChooseKResult(List.of(candidate(5, 5, 0.7), candidate(8, 6, 0.9), candidate(12, 9, 0.5)), best,
                suggested, 0.05, 1000, 1000, 20000, 10, new long[] {0, 1});
    }

    @Test
    void theJsonHoldsTheSuggestionTheBestCandidateAndEveryCriterion() throws Exception {
        JsonNode json = new ObjectMapper().readTree(ChooseKReport.toJson(result(8, 6)));
        assertEquals(6, json.get("suggested_k").asInt());
        assertEquals(8, json.get("best_candidate").asInt());
        assertEquals(3, json.get("candidates").size());
        assertEquals(0.9, json.get("candidates").get(1).get("score").asDouble(), 1e-12);
        assertEquals(6.0, json.get("candidates").get(1).get("non_empty").asDouble(), 1e-12);
    }

    @Test
    void aBestCandidateAtAnEndOfTheRangeIsFlagged() {
        assertNull(ChooseKReport.edgeWarning(result(8, 6)));
        assertTrue(ChooseKReport.edgeWarning(result(5, 5)).contains("smallest"));
        assertTrue(ChooseKReport.edgeWarning(result(12, 9)).contains("largest"));
        assertTrue(ChooseKReport.table(result(5, 5)).contains("note: the best candidate is the smallest"));
    }

    @Test
    void thePageChartsTheCriteriaAndMarksTheBestRow() {
        String html = ChooseKReport.html(result(8, 6), "test run");
        assertTrue(html.contains("Suggested K = 6</b>"));
        assertEquals(3, html.split("<svg ", -1).length - 1);
        assertTrue(html.contains("<tr class=\"pick\"><td>8</td>"));
    }
}
