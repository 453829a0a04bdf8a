-- Reverses 003_detection_state_feedback.
DROP TABLE IF EXISTS anomaly_feedback;
DROP TABLE IF EXISTS detector_state;
