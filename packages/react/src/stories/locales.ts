/** Full message catalogs for the i18n story: every string of the three components. */
import type { BadgeMessages, BannerMessages, TokenPromptMessages } from '../messages.js';

export interface Catalog {
  banner: BannerMessages;
  prompt: TokenPromptMessages;
  badge: BadgeMessages;
}

export const de: Catalog = {
  banner: {
    reconnecting: ({ attempt, maxRetries }) => `Verbindung unterbrochen. Neuer Versuch (${attempt} von ${maxRetries})…`,
    waiting: ({ attempt, maxRetries }) => `Verbindung unterbrochen. Warte auf Versuch ${attempt} von ${maxRetries}.`,
    reconnectingNow: 'Verbindung unterbrochen. Verbinde neu…',
    retryingIn: ({ attempt, seconds }) => `Versuch ${attempt} in ${seconds} s`,
    connectingNow: 'Verbinde…',
    retryNow: 'Jetzt versuchen',
    failed: 'Keine Verbindung möglich.',
    windowLeft: ({ time }) => `Verbinden Sie sich innerhalb von ${time} neu, um Sitzung und Anruf zu behalten.`,
    windowPassed: 'Ein neuer Verbindungsaufbau startet eine neue Sitzung.',
    reconnect: 'Neu verbinden',
    sessionLost:
      'Ihre vorherige Sitzung konnte nicht fortgesetzt werden; eine neue wurde gestartet. Ein laufender Anruf wurde beendet.',
    dismiss: 'Schließen',
    offline: 'Sie sind offline. Sobald das Netz zurück ist, verbinden wir neu.',
    reconnected: 'Wieder verbunden.',
    loginFailed: 'Anmeldung fehlgeschlagen: Der Server hat das Token abgelehnt.',
  },
  prompt: {
    expiring: ({ time }) => `Ihre Anmeldung läuft in ${time} ab.`,
    refresh: 'Angemeldet bleiben',
    refreshing: 'Anmeldung wird erneuert…',
    expired: 'Ihre Anmeldung ist abgelaufen; die Verbindung wurde getrennt.',
    signInAgain: 'Erneut anmelden',
    windowLeft: ({ time }) => `Erneuern Sie sie innerhalb von ${time}, um Ihre Sitzung zu behalten.`,
    refreshFailed: 'Die Anmeldung konnte nicht erneuert werden.',
    tryAgain: 'Erneut versuchen',
  },
  badge: {
    idle: 'Abgemeldet',
    connecting: 'Verbinde',
    connected: 'Verbunden',
    reconnecting: 'Neuer Versuch',
    disconnected: 'Getrennt',
    offline: 'Offline',
  },
};

export const fr: Catalog = {
  banner: {
    reconnecting: ({ attempt, maxRetries }) =>
      `Connexion perdue. Reconnexion (tentative ${attempt} sur ${maxRetries})…`,
    waiting: ({ attempt, maxRetries }) => `Connexion perdue. En attente de la tentative ${attempt} sur ${maxRetries}.`,
    reconnectingNow: 'Connexion perdue. Reconnexion…',
    retryingIn: ({ attempt, seconds }) => `Tentative ${attempt} dans ${seconds} s`,
    connectingNow: 'Connexion…',
    retryNow: 'Réessayer',
    failed: 'Reconnexion impossible.',
    windowLeft: ({ time }) => `Reconnectez-vous d’ici ${time} pour garder votre session et votre appel.`,
    windowPassed: 'Se reconnecter démarrera une nouvelle session.',
    reconnect: 'Se reconnecter',
    sessionLost:
      'Votre session précédente n’a pas pu être reprise ; une nouvelle a été ouverte. Tout appel en cours est terminé.',
    dismiss: 'Fermer',
    offline: 'Vous êtes hors ligne. Nous nous reconnecterons dès le retour du réseau.',
    reconnected: 'Reconnecté.',
    loginFailed: 'Échec de la connexion : le serveur a refusé le jeton.',
  },
  prompt: {
    expiring: ({ time }) => `Votre session expire dans ${time}.`,
    refresh: 'Rester connecté',
    refreshing: 'Renouvellement de la session…',
    expired: 'Votre session a expiré et la connexion a été fermée.',
    signInAgain: 'Se reconnecter',
    windowLeft: ({ time }) => `Renouvelez-la d’ici ${time} pour garder votre session.`,
    refreshFailed: 'Impossible de renouveler la session.',
    tryAgain: 'Réessayer',
  },
  badge: {
    idle: 'Déconnecté',
    connecting: 'Connexion',
    connected: 'Connecté',
    reconnecting: 'Reconnexion',
    disconnected: 'Hors connexion',
    offline: 'Hors ligne',
  },
};
