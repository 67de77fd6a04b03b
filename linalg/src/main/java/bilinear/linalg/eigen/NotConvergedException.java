package bilinear.linalg.eigen;

/**
 * An iteration of the fast eigensolvers ran out of steps (the secular equation, implicit QL):
 * never seen in practice, but the facade then answers with the reference solver instead.
 */
final class NotConvergedException extends ArithmeticException {
    NotConvergedException(String message) {
        super(message);
    }
}
